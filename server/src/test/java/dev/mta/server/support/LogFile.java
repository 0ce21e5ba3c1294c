package dev.mta.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real MTA process's output, read as it grows (its logging is asynchronous: lines are waited for). */
public final class LogFile {
    private LogFile() {
    }

    /** Every line so far. */
    public static List<String> lines(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).lines().toList();
    }

    /** The first line holding {@code text}, waited for up to 20 s. */
    public static String awaitLine(Path log, String text) throws IOException, InterruptedException {
        return awaitLine(log, text, 0);
    }

    /** The first line after the first {@code skip} lines holding {@code text}, waited for up to 20 s. */
    public static String awaitLine(Path log, String text, int skip) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            List<String> all = lines(log);
            for (String l : all.subList(Math.min(skip, all.size()), all.size())) {
                if (l.contains(text)) {
                    return l.strip();
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no line with '" + text + "' after line " + skip + " in:\n" + String.join("\n", all));
            }
            Thread.sleep(50);
        }
    }
}
