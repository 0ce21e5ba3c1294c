package dev.mta.bench.load;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one load: its event loops, its sessions and its progress line, until every message is answered. */
public final class LoadRun {
    private LoadRun() {
    }

    /**
     * Runs {@code settings} to the end and returns the report. Progress goes to {@code progress} every
     * {@code progressMillis} (0: none), in place when {@code terminal}.
     */
    public static LoadReport run(LoadSettings settings, PrintStream progress, boolean terminal, long progressMillis)
            throws InterruptedException, SSLException {
        LoadStats stats = new LoadStats();
        SslContext tls = settings.startTls()
                ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
        int threads = settings.threads() > 0 ? settings.threads()
                : Math.min(settings.sessions(), Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        long start = System.nanoTime();
        long deadline = settings.duration() == null ? Long.MAX_VALUE : start + settings.duration().toNanos();
        Dispatcher dispatcher = settings.openLoop()
                ? new OpenLoop(start, settings.rate(), settings.messages(), deadline)
                : new ClosedLoop(settings.messages(), deadline);
        CountDownLatch done = new CountDownLatch(settings.sessions());
        try (MessageContent content = new MessageContent(settings.runId(), settings.from(), settings.sizes().sizes());
             Progress p = new Progress(stats, progress, terminal, progressMillis)) {
            List<LoadSession> sessions = new ArrayList<>();
            for (int i = 0; i < settings.sessions(); i++) {
                EventLoop loop = group.next();
                sessions.add(new LoadSession(settings, dispatcher, stats, content, tls, loop, start + i,
                        done::countDown));
            }
            sessions.forEach(LoadSession::start);
            awaitEnd(settings, dispatcher, done);
            long elapsed = System.nanoTime() - start;
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            return LoadReport.of(settings, stats, elapsed);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Waits for every session to end: once no message is left, in-flight ones get the reply timeout to finish. */
    private static void awaitEnd(LoadSettings settings, Dispatcher dispatcher, CountDownLatch done)
            throws InterruptedException {
        while (!dispatcher.finished(System.nanoTime())) {
            if (done.await(100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        done.await(settings.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }
}
