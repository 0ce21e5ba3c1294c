package dev.mta.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program with a time limit, capturing its output (standard error merged in): either to the end
 * ({@link #run}), or as a dialogue driven line by line through its standard input ({@link #start}).
 */
public final class ProcessRunner {
    /** What a finished program left behind. */
    public record Result(int exitCode, String output) {
    }

    private ProcessRunner() {
    }

    /** Runs {@code command} with nothing on its standard input (end of file at once). */
    public static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, new byte[0], timeoutSeconds);
    }

    /** Runs {@code command} with {@code stdin} (UTF-8) on its standard input, then end of file. */
    public static Result run(List<String> command, String stdin, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(command, stdin.getBytes(StandardCharsets.UTF_8), timeoutSeconds);
    }

    public static Result run(List<String> command, byte[] stdin, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("peer", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin); // the output goes to a file, so this cannot block on the program's own writes
            } catch (IOException e) {
                // the program exited without reading it all: its exit status and output say why
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(command.get(0) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Starts {@code command} for a dialogue: {@link Dialogue#send} to its input, {@link Dialogue#expect} from it. */
    public static Dialogue start(List<String> command) throws IOException {
        return new Dialogue(command, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** A running program, its output collected as it comes (as ISO-8859-1 text, so any bytes read back as sent). */
    public static final class Dialogue implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final StringBuilder output = new StringBuilder();
        private final Thread reader;
        private int cursor;

        private Dialogue(List<String> command, Process process) {
            this.command = command;
            this.process = process;
            this.reader = new Thread(this::collect, "dialogue-" + command.get(0));
            reader.setDaemon(true);
            reader.start();
        }

        private void collect() {
            byte[] buf = new byte[8192];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (output) {
                        output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the program is gone: what came so far is its output
            }
            synchronized (output) {
                output.notifyAll();
            }
        }

        /** Writes {@code text} to the program's standard input at once. */
        public void send(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.ISO_8859_1));
            in.flush();
        }

        /**
         * Waits until the output after what earlier calls took contains {@code text}, and returns the output up to
         * the end of it, moving past it; fails (with all the output) when it has not come within {@code limit}.
         */
        public String expect(String text, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (output) {
                while (true) {
                    int at = output.indexOf(text, cursor);
                    if (at >= 0) {
                        String upTo = output.substring(cursor, at + text.length());
                        cursor = at + text.length();
                        return upTo;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || (!reader.isAlive() && output.indexOf(text, cursor) < 0)) {
                        throw new AssertionError("no \"" + text + "\" from " + command.get(0) + " within " + limit
                                + (reader.isAlive() ? "" : " (its output ended)") + "; all its output:\n" + output);
                    }
                    TimeUnit.NANOSECONDS.timedWait(output, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        }

        /** Everything the program has written so far. */
        public String output() {
            synchronized (output) {
                return output.toString();
            }
        }

        /** Closes its input and waits for it to exit on its own; fails when it has not within {@code limit}. */
        public Result finish(Duration limit) throws InterruptedException, IOException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it has exited already
            }
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command.get(0) + " did not exit within " + limit + "; all its output:\n"
                        + output());
            }
            reader.join(5_000);
            return new Result(process.exitValue(), output());
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        }
    }
}
