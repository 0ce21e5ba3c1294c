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
                      TlsSettings tls, LogLevels logLevels, dev.mta.server.config.MetricsSettings metrics) {

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
