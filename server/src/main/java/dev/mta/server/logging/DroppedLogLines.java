package dev.mta.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;

/**
 * The log lines this process has dropped because its log output could not keep up: the sum of every
 * {@link CountingAsyncAppender} in the Logback configuration in force (for the metrics, as a counter). Asked
 * afresh at each {@link #count()}, so it follows a configuration that is reloaded; the appenders of a new
 * configuration count from zero.
 */
public final class DroppedLogLines {
    private final LoggerContext context;

    /** The lines dropped under {@code context}; null: none can be (another SLF4J binding, as in some tests). */
    public DroppedLogLines(LoggerContext context) {
        this.context = context;
    }

    /** The lines dropped by this process's logging. */
    public static DroppedLogLines ofThisProcess() {
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        return new DroppedLogLines(f instanceof LoggerContext ? (LoggerContext) f : null);
    }

    /** Lines dropped so far, all counting appenders together. */
    public long count() {
        if (context == null) {
            return 0;
        }
        Set<Appender<ILoggingEvent>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long n = 0;
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof CountingAsyncAppender && seen.add(a)) {
                    n += ((CountingAsyncAppender) a).dropped();
                }
            }
        }
        return n;
    }
}
