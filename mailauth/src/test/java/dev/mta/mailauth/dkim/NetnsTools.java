package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test in a network namespace of its own needs: root (ip netns add wants CAP_SYS_ADMIN), iproute2's ip,
 * dnsmasq and OpenDKIM's opendkim-testmsg, found by absolute path (they live in /usr/sbin, often off a user's PATH).
 * Lacking any, the test is skipped on a developer machine and fails under CI (CI set), as
 * {@code dev.mta.testkit.Peers} does for programs.
 */
record NetnsTools(String ip, String dnsmasq, String opendkimTestmsg) {
    private static final String INSTALL = "apt-get install opendkim-tools dnsmasq-base iproute2";

    static NetnsTools require() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (ip netns add needs it)");
        }
        String ip = find("ip", missing);
        String dnsmasq = find("dnsmasq", missing);
        String testmsg = find("opendkim-testmsg", missing);
        if (!missing.isEmpty()) {
            unavailable("missing " + String.join(", ", missing));
        }
        return new NetnsTools(ip, dnsmasq, testmsg);
    }

    /** Skips the test, or fails it under CI, saying why and what to install. */
    static void unavailable(String why) {
        String msg = "OpenDKIM witness in a network namespace: " + why + " (as root, with " + INSTALL + ")";
        System.err.println("skipped or failed: " + msg);
        if (System.getenv("CI") != null) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the uid this process runs as.
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String find(String program, List<String> missing) {
        String path = System.getenv("PATH");
        String dirs = (path == null ? "" : path) + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
        for (String dir : dirs.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        missing.add(program);
        return null;
    }
}
