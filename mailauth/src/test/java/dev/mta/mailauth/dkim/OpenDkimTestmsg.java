package dev.mta.mailauth.dkim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * OpenDKIM's opendkim-testmsg (opendkim-tools) verifying a message: with no -d, -k or -s it verifies what it reads
 * on stdin through libopendkim and says nothing when the signature passes; otherwise it names the failure, such as
 * "dkim_eom(): Bad signature", and exits non-zero. libopendkim looks keys up with the system resolver only, hence
 * the {@link NetnsDns} it runs in.
 */
final class OpenDkimTestmsg {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Pass, or the failure in OpenDKIM's words. */
    record Verdict(boolean pass, String output) {
    }

    private final NetnsDns ns;
    private final String program;
    private final Path tmp;

    /** @param tmp where it keeps its copy of the message (-t; it removes it again) */
    OpenDkimTestmsg(NetnsDns ns, String program, Path tmp) {
        this.ns = ns;
        this.program = program;
        this.tmp = tmp;
    }

    Verdict verify(byte[] message) throws IOException, InterruptedException {
        BoundedCommand.Result r = ns.exec(List.of(program, "-t", tmp.toString()), message, TIMEOUT);
        return new Verdict(r.exit() == 0 && r.output().isBlank(), r.output().strip());
    }
}
