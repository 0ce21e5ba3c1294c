package dev.mta.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real SMTP peers the tests use (swaks, python3, openssl, curl, Postfix's smtp-source and smtp-sink).
 * Under CI (CI set) a missing peer fails the test; on a developer machine it skips it, saying what to install.
 */
public final class Peers {
    private Peers() {
    }

    public static String require(String program) {
        String path = System.getenv("PATH");
        String extra = File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
        for (String dir : (path == null ? "" : path + extra).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String msg = program
                + " is not installed; .ci/run installs it (apt-get install swaks postfix python3 openssl curl prometheus)";
        if (System.getenv("CI") != null) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
        return null;
    }
}
