package dev.mta.interop;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Reads the messages of a Maildir inside a container, byte for byte, and waits for them. */
final class Maildirs {
    private Maildirs() {
    }

    /** The files of {@code maildir}'s {@code new/} and {@code cur/}, in name order. */
    static List<byte[]> read(GenericContainer<?> container, String maildir) throws IOException, InterruptedException {
        Container.ExecResult ls = container.execInContainer("sh", "-c",
                "cd '" + maildir + "' 2>/dev/null && ls -1 new/* cur/* 2>/dev/null | sort");
        List<byte[]> out = new ArrayList<>();
        for (String name : ls.getStdout().split("\n")) {
            if (!name.isBlank()) {
                out.add(container.copyFileFromContainer(maildir + "/" + name.strip(), InputStream::readAllBytes));
            }
        }
        return out;
    }

    /** Polls {@code read} until it has at least {@code n} messages, at most {@code limit}. */
    static List<byte[]> await(Reader read, int n, Duration limit, Supplier<String> why)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<byte[]> got = read.read();
            if (got.size() >= n) {
                return got;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(got.size() + " of " + n + " messages after " + limit + "; " + why.get());
            }
            Thread.sleep(200);
        }
    }

    /** A Maildir read that may throw. */
    interface Reader {
        List<byte[]> read() throws IOException, InterruptedException;
    }
}
