package dev.mta.testkit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A logback appender that keeps Netty's leak reports (paranoid detection is on in every test run). */
public final class LeakCollector extends AppenderBase<ILoggingEvent> {
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLoggerName().startsWith("io.netty.util.ResourceLeakDetector") && e.getFormattedMessage().contains("LEAK")) {
            LEAKS.add(e.getFormattedMessage());
        }
    }
}
