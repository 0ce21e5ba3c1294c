package dev.mta.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Keeps what one class logs at WARN and above while it is open, for tests that check a warning was given. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private LogCapture(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
    }

    public static LogCapture of(Class<?> source) {
        LogCapture c = new LogCapture(source);
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
        stop();
    }
}
