package dev.mta.server;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.auth.Lockout;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Everything the command line describes, each value checked ({@link MtaMain#check()}), with nothing opened or
 * bound: what a start, a reload and {@code mta config} all begin with.
 */
record CheckedOptions(ServerConfig config, ClientLimits clientLimits, BareNewline bareNewline, Lockout lockout,
                      TlsSettings tls, LogLevels logLevels, dev.mta.server.config.MetricsSettings metrics,
                      dev.mta.server.config.LocalMailSettings localMail, dev.mta.server.pop3.Pop3Settings pop3) {

    /**
     * Fails, naming the option, when an address a listener is to take is in use: bad configuration, found before the
     * spool is touched (the real binds come after recovery).
     */
    void checkListenersFree() {
        check("smtp-listen", config.smtpListeners());
        check("submission-listen", tls.submissionListeners());
        check("smtps-listen", tls.smtpsListeners());
        if (metrics.enabled()) {
            check("metrics-listen", List.of(metrics.listen()));
        }
        // POP3: only when it is to run (with --users).
        if (pop3.enabled()) {
            check("pop3-listen", pop3.listen());
            check("pop3s-listen", pop3.implicitTls());
        }
    }

    /**
     * Fails, naming the option, when two listeners of this configuration would take the same port on the same address
     * (or one of them on every address), which the probe of each alone does not see. Two wildcards of one kind on one
     * port ({@code 0.0.0.0:25, [::]:25}) are allowed: the dual-stack socket of the first serves both.
     */
    void checkNoOverlap() {
        List<java.util.Map.Entry<String, InetSocketAddress>> all = new java.util.ArrayList<>();
        config.smtpListeners().forEach(a -> all.add(java.util.Map.entry("smtp-listen", a)));
        tls.submissionListeners().forEach(a -> all.add(java.util.Map.entry("submission-listen", a)));
        tls.smtpsListeners().forEach(a -> all.add(java.util.Map.entry("smtps-listen", a)));
        if (metrics.enabled()) {
            all.add(java.util.Map.entry("metrics-listen", metrics.listen()));
        }
        if (pop3.enabled()) {
            pop3.listen().forEach(a -> all.add(java.util.Map.entry("pop3-listen", a)));
            pop3.implicitTls().forEach(a -> all.add(java.util.Map.entry("pop3s-listen", a)));
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < i; j++) {
                InetSocketAddress a = all.get(i).getValue();
                InetSocketAddress b = all.get(j).getValue();
                if (a.getPort() == 0 || a.getPort() != b.getPort()) {
                    continue;
                }
                boolean wildA = a.getAddress().isAnyLocalAddress();
                boolean wildB = b.getAddress().isAnyLocalAddress();
                boolean sameKey = all.get(i).getKey().equals(all.get(j).getKey());
                if (wildA && wildB && sameKey) {
                    continue;
                }
                if (wildA || wildB || a.getAddress().equals(b.getAddress())) {
                    throw new IllegalArgumentException(all.get(i).getKey() + ": " + dev.mta.server.config.HostPort.format(a)
                            + " overlaps " + all.get(j).getKey() + "'s " + dev.mta.server.config.HostPort.format(b)
                            + ": two listeners cannot share a port");
                }
            }
        }
    }

    private static void check(String key, List<InetSocketAddress> addresses) {
        for (InetSocketAddress a : addresses) {
            try {
                MtaStarter.checkBindable(a);
            } catch (java.net.BindException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
    }
}
