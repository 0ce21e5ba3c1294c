package dev.mta.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Keeps what one class logs at WARN and above while it is open, for tests that check a warning was given; or, with
 * {@link #lines(String)}, every line of one logger at INFO and above (its level lowered to INFO meanwhile).
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** The logger's own level before a capture of its INFO lines, given back at the close. */
    private Level levelBefore;
    private boolean infoCapture;

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    public static LogCapture of(Class<?> source) {
        return attach(new LogCapture((Logger) LoggerFactory.getLogger(source)));
    }

    /** Every line the logger {@code name} writes at INFO and above while open, in order ({@link #lines()}). */
    public static LogCapture lines(String name) {
        LogCapture c = new LogCapture((Logger) LoggerFactory.getLogger(name));
        c.infoCapture = true;
        c.levelBefore = c.logger.getLevel();
        if (!c.logger.isInfoEnabled()) {
            c.logger.setLevel(Level.INFO);
        }
        return attach(c);
    }

    private static LogCapture attach(LogCapture c) {
        c.setContext(c.logger.getLoggerContext());
        c.start();
        c.logger.addAppender(c);
        return c;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
            warnings.add(e.getFormattedMessage());
        }
        if (infoCapture && e.getLevel().isGreaterOrEqual(Level.INFO)) {
            lines.add(e.getFormattedMessage());
        }
    }

    /** The lines captured by {@link #lines(String)}, formatted, in the order they were logged. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The warnings that contain every one of {@code parts}. */
    public List<String> warningsWith(String... parts) {
        return warnings.stream().filter(w -> List.of(parts).stream().allMatch(w::contains)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        if (infoCapture) {
            logger.setLevel(levelBefore);
        }
        stop();
    }
}
