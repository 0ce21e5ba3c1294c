package dev.mta.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.util.Duration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lines that do not fit are dropped without waiting, every one of them counted, and a warning tells how many once
 * the queue has room again. The output is held up on purpose (a console or disk that stalls), so the numbers are
 * exact: the worker holds the first line, the queue takes {@code queueSize} more, the rest are dropped.
 */
class CountingAsyncAppenderTest {
    /** An output that stalls on the line after {@link #stallNext()} until {@link #resume()}. */
    static final class StallingOutput extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> written = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch stalled = new CountDownLatch(0);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void stallNext() {
            stalled = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        void awaitStalled() throws InterruptedException {
            assertTrue(stalled.await(10, TimeUnit.SECONDS),
                    () -> "the output stalled; " + getContext().getStatusManager().getCopyOfStatusList());
        }

        void resume() {
            gate.countDown();
        }

        @Override
        protected void append(ILoggingEvent e) {
            written.add(e);
            stalled.countDown();
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        List<String> lines(Level level) {
            return written.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                    .collect(Collectors.toList());
        }
    }

    private final LoggerContext context = LogbackConfigurationTest.newContext();
    private final StallingOutput output = new StallingOutput();

    private CountingAsyncAppender appender(int queueSize, int discardingThreshold, Duration warningInterval) {
        output.setContext(context);
        output.setName("OUT");
        output.start();
        CountingAsyncAppender a = new CountingAsyncAppender();
        a.setContext(context);
        a.setName("ASYNC");
        a.setQueueSize(queueSize);
        a.setDiscardingThreshold(discardingThreshold);
        a.setDropWarningInterval(warningInterval);
        a.addAppender(output);
        a.start();
        return a;
    }

    private Logger logger(CountingAsyncAppender a) {
        Logger logger = context.getLogger("dev.mta.mail");
        logger.setLevel(Level.INFO);
        logger.addAppender(a);
        return logger;
    }

    /** One line taken by the stalled output, then {@code n} more from the logging thread, which never waits. */
    private void burst(Logger logger, String tag, int n) throws InterruptedException {
        output.stallNext();
        logger.info("{} held", tag);
        output.awaitStalled();
        for (int i = 1; i <= n; i++) {
            logger.info("{} {}", tag, i);
        }
        output.resume();
    }

    @Test
    void everyDroppedLineIsCountedAndOneWarningSaysHowMany() throws Exception {
        CountingAsyncAppender a = appender(4, 0, Duration.buildByMinutes(1));
        Logger logger = logger(a);
        burst(logger, "first", 20);
        a.stop(); // the worker writes out what is queued
        assertEquals(16, a.dropped(), "20 lines after the held one, 4 queued");
        assertEquals(5, output.lines(Level.INFO).size());
        assertEquals(List.of("16 log lines dropped: the log output could not keep up (queue of 4 lines full); "
                + "16 in all since start"), output.lines(Level.WARN));
        assertEquals(16, new DroppedLogLines(context).count());
    }

    @Test
    void warnsAtMostOnceAnIntervalAndKeepsCounting() throws Exception {
        CountingAsyncAppender a = appender(4, 0, Duration.buildByMinutes(1));
        Logger logger = logger(a);
        burst(logger, "first", 10);
        awaitWritten(5, 1);
        burst(logger, "second", 10);
        awaitWritten(10, 1);
        logger.info("after");
        a.stop();
        assertEquals(12, a.dropped());
        assertEquals(11, output.lines(Level.INFO).size());
        assertEquals(1, output.lines(Level.WARN).size(), "the second burst is within the minute: " + output.lines(Level.WARN));
        assertTrue(output.lines(Level.WARN).get(0).startsWith("6 log lines dropped"), output.lines(Level.WARN).toString());
    }

    @Test
    void withNoIntervalEachBurstIsReported() throws Exception {
        CountingAsyncAppender a = appender(4, 0, Duration.buildByMilliseconds(0));
        Logger logger = logger(a);
        burst(logger, "first", 10);
        awaitWritten(5, 1);
        burst(logger, "second", 7);
        a.stop();
        assertEquals(List.of(
                "6 log lines dropped: the log output could not keep up (queue of 4 lines full); 6 in all since start",
                "3 log lines dropped: the log output could not keep up (queue of 4 lines full); 9 in all since start"),
                output.lines(Level.WARN));
    }

    @Test
    void theDiscardingThresholdDropsInfoButKeepsWarningsAndCountsToo() throws Exception {
        CountingAsyncAppender a = appender(10, 5, Duration.buildByMinutes(1));
        Logger logger = logger(a);
        output.stallNext();
        logger.info("held");
        output.awaitStalled();
        for (int i = 1; i <= 20; i++) {
            logger.info("line {}", i);
        }
        logger.warn("a warning gets through");
        output.resume();
        a.stop();
        // Places free before each line: 10, 9, ... 5 let six in; from 4 free on INFO is dropped.
        assertEquals(14, a.dropped());
        assertEquals(7, output.lines(Level.INFO).size());
        assertTrue(output.lines(Level.WARN).contains("a warning gets through"), output.lines(Level.WARN).toString());
    }

    @Test
    void droppedLinesAreSummedOverTheAppendersInForce() throws Exception {
        CountingAsyncAppender a = appender(4, 0, Duration.buildByMinutes(1));
        Logger logger = logger(a);
        context.getLogger("other").addAppender(a); // the same appender twice counts once
        burst(logger, "first", 10);
        a.stop();
        assertEquals(6, new DroppedLogLines(context).count());
        assertEquals(0, new DroppedLogLines(null).count());
    }

    /** Waits until the output has written {@code info} lines and {@code warnings} warnings: the queue is empty. */
    private void awaitWritten(int info, int warnings) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while ((output.lines(Level.INFO).size() < info || output.lines(Level.WARN).size() < warnings)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(info, output.lines(Level.INFO).size());
        assertEquals(warnings, output.lines(Level.WARN).size());
    }
}
