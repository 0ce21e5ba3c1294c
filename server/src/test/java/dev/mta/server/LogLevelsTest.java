package dev.mta.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --log-level: read as a map, put in force in logback, and taken back when a reload drops a logger. */
class LogLevelsTest {
    @Test
    void readsLoggerEqualsLevelEntries() {
        LogLevels l = LogLevels.parse(" root=WARN, dev.mta.relay = debug ,mail=off");
        assertEquals(Map.of("ROOT", Level.WARN, "dev.mta.relay", Level.DEBUG, "mail", Level.OFF), l.levels());
        assertEquals("root=warn, dev.mta.relay=debug, mail=off", l.toString(), "as the setting writes it");
        assertEquals(LogLevels.NONE, LogLevels.parse(null));
        assertEquals(LogLevels.NONE, LogLevels.parse(" "));
        for (String bad : new String[]{"info", "root=loud", "a=info,a=debug", "=info", "root=info,", "a b=info"}) {
            assertThrows(IllegalArgumentException.class, () -> LogLevels.parse(bad), bad);
        }
    }

    @Test
    void aSwitchSetsLevelsAndGivesBackTheConfiguredOnes() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger probe = context.getLogger("dev.mta.test.LogLevelsTest.probe");
        Level rootBefore = root.getLevel();
        assertNull(probe.getLevel(), "inherited");
        LogLevelSwitch s = new LogLevelSwitch();
        try {
            s.apply(LogLevels.parse("dev.mta.test.LogLevelsTest.probe=debug, root=error"));
            assertEquals(Level.DEBUG, probe.getLevel());
            assertTrue(probe.isDebugEnabled());
            assertEquals(Level.ERROR, root.getLevel());
            s.apply(LogLevels.parse("dev.mta.test.LogLevelsTest.probe=trace"));
            assertEquals(Level.TRACE, probe.getLevel());
            assertEquals(rootBefore, root.getLevel(), "root is no longer named: the configuration's level again");
            s.apply(LogLevels.NONE);
            assertNull(probe.getLevel(), "inherited again, not the level set before");
        } finally {
            s.apply(LogLevels.NONE);
            root.setLevel(rootBefore);
        }
    }
}
