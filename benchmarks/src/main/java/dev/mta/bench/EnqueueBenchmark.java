package dev.mta.bench;

import dev.mta.queue.DurableQueue;
import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.QueueConfig;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable enqueue: each operation is one message written and committed (the 250-after-DATA path), by 1, 16 or 256
 * concurrent writers, for 1 KB, 10 KB and 100 KB bodies. Prints fsyncs per message at the end of each trial.
 *
 * <pre>java -jar benchmarks/target/mta-bench.jar jmh EnqueueBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EnqueueBenchmark {
    private static final Envelope ENVELOPE = new Envelope(new MailPath("bench", "example.com", false),
            new MailParameters(-1, BodyType.EIGHT_BIT_MIME, false), List.of(new MailPath("rcpt", "example.org", false)),
            "127.0.0.1", "bench.test", "ESMTP");

    @Param({"1024", "10240", "102400"})
    public int size;

    private Path dir;
    private DurableQueue queue;
    private byte[] body;
    private final AtomicLong messages = new AtomicLong();
    private long syncsAtStart;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("enqueue-bench");
        queue = DurableQueue.open(QueueConfig.defaults(dir));
        body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i % 78 == 77 ? '\n' : 'a' + i % 26);
        }
        syncsAtStart = queue.syncCount();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        long syncs = queue.syncCount() - syncsAtStart;
        System.out.printf("%n[fsync] size=%d messages=%d fsyncs=%d fsyncs/message=%.4f%n", size, messages.get(), syncs,
                syncs / (double) Math.max(1, messages.get()));
        queue.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private String enqueue() {
        IncomingMessage m = queue.receive(ENVELOPE);
        m.write(Unpooled.wrappedBuffer(body));
        String id = m.commit().join();
        messages.incrementAndGet();
        return id;
    }

    @Benchmark
    @Threads(1)
    public String writers001() {
        return enqueue();
    }

    @Benchmark
    @Threads(16)
    public String writers016() {
        return enqueue();
    }

    @Benchmark
    @Threads(256)
    public String writers256() {
        return enqueue();
    }
}
