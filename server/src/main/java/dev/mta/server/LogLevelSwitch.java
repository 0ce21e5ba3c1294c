package dev.mta.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Puts {@link LogLevels} in force in logback, at start and on SIGHUP. Setting a level is atomic and touches no
 * appender, so nothing in flight is lost (unlike resetting and reconfiguring the whole context). A logger that a new
 * setting no longer names gets back the level the logging configuration gave it. Does nothing when the logging
 * backend is not logback.
 */
final class LogLevelSwitch {
    /** Each logger's level before this switch first touched it (null: inherited). */
    private final Map<String, Level> configured = new HashMap<>();
    private LogLevels inForce = LogLevels.NONE;

    synchronized void apply(LogLevels next) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) factory;
        for (String name : inForce.levels().keySet()) {
            if (!next.levels().containsKey(name)) {
                context.getLogger(name).setLevel(configured.get(name));
            }
        }
        next.levels().forEach((name, level) -> {
            ch.qos.logback.classic.Logger logger = context.getLogger(name);
            if (!configured.containsKey(name)) { // a null level (inherited) is a level to go back to too
                configured.put(name, logger.getLevel());
            }
            logger.setLevel(level);
        });
        inForce = next;
    }
}
