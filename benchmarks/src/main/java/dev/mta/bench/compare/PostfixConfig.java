package dev.mta.bench.compare;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A private Postfix instance's main.cf and master.cf: its own config, queue and data directories under {@code dir},
 * listening on loopback {@code port}, relaying everything to the sink with fsync on (Postfix's default), and its
 * process and concurrency limits raised to the load's sessions so that no default setting is what gets measured.
 */
record PostfixConfig(Path dir, int port, int sinkPort, int sessions) {

    Path configDir() {
        return dir.resolve("conf");
    }

    Path queueDir() {
        return dir.resolve("queue");
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path maillog() {
        return dir.resolve("maillog");
    }

    /** The limits raised above Postfix's defaults, by name (RESULTS.md lists them). */
    Map<String, String> raisedLimits() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("default_process_limit", Integer.toString(Math.max(100, 2 * sessions + 50)));
        m.put("smtp_destination_concurrency_limit", Integer.toString(Math.max(20, sessions)));
        m.put("default_destination_concurrency_limit", Integer.toString(Math.max(20, sessions)));
        m.put("initial_destination_concurrency", Integer.toString(Math.max(5, sessions)));
        m.put("smtpd_client_connection_count_limit", "0");
        m.put("smtpd_client_connection_rate_limit", "0");
        m.put("minimal_backoff_time", "1s");
        m.put("maximal_backoff_time", "2s");
        m.put("queue_run_delay", "1s");
        return m;
    }

    String mainCf() {
        StringBuilder b = new StringBuilder();
        b.append("# written by mta-bench compare; removed after the run\n");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("compatibility_level", "3.6");
        m.put("config_directory", configDir().toString());
        m.put("queue_directory", queueDir().toString());
        m.put("data_directory", dataDir().toString());
        m.put("mail_owner", "postfix");
        m.put("setgid_group", "postdrop");
        m.put("myhostname", "postfix.bench.test");
        m.put("mydestination", "");
        m.put("alias_maps", "");
        m.put("alias_database", "");
        m.put("inet_interfaces", "loopback-only");
        m.put("inet_protocols", "ipv4");
        m.put("mynetworks", "127.0.0.0/8");
        m.put("smtpd_relay_restrictions", "permit_mynetworks, reject");
        m.put("relayhost", "[127.0.0.1]:" + sinkPort);
        m.put("smtp_dns_support_level", "disabled");
        m.put("smtp_tls_security_level", "none");
        m.put("maillog_file", maillog().toString());
        m.put("maillog_file_prefixes", dir.toString());
        m.putAll(raisedLimits());
        m.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        return b.toString();
    }

    /** Debian's master.cf without chroot (the private directories have no chroot jail) and the SMTP listener. */
    String masterCf() {
        return """
                # written by mta-bench compare; removed after the run
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                """.formatted(port);
    }
}
