package dev.mta.server.peers;

import dev.mta.server.support.ProcessRunner;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/** What the peer tests share to run their clients: Python with a trust-anything TLS context, swaks with TLS. */
final class PeerClients {
    /**
     * A Python prelude: {@code smtplib}, and {@code ctx}, a TLS context that takes any certificate (the MTA's own is
     * self-signed for {@code mx.test}).
     */
    static final String PY_TRUST_ANY = String.join("\n",
            "import smtplib, ssl",
            "ctx = ssl.create_default_context()",
            "ctx.check_hostname = False",
            "ctx.verify_mode = ssl.CERT_NONE",
            "");

    private PeerClients() {
    }

    /** Runs {@link #PY_TRUST_ANY} and then {@code lines} as a python3 script, a minute at most. */
    static ProcessRunner.Result python(String... lines) throws Exception {
        String script = PY_TRUST_ANY + String.join("\n", lines) + "\n";
        return ProcessRunner.run(List.of(Peers.require("python3"), "-c", script), 60);
    }

    /** swaks, able to do {@code --tls}: Debian's swaks only recommends the Net::SSLeay it needs for that. */
    static String requireSwaksTls() throws Exception {
        String swaks = Peers.require("swaks");
        ProcessRunner.Result probe = ProcessRunner.run(List.of("perl", "-MNet::SSLeay", "-e", "1"), 30);
        if (probe.exitCode() != 0) {
            String msg = "swaks --tls needs Net::SSLeay: .ci/run installs libnet-ssleay-perl";
            if (System.getenv("CI") != null) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        return swaks;
    }
}
