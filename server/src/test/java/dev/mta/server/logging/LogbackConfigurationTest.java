package dev.mta.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in configuration and the rolling-file sample in deploy/ load without a complaint and do their job. */
class LogbackConfigurationTest {
    @TempDir
    Path dir;

    /** A context of its own, as SLF4J would make it. */
    static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    private static void configure(LoggerContext context, URL config) throws Exception {
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(config);
        int highest = new StatusUtil(context).getHighestLevel(0);
        assertTrue(highest < Status.WARN, () -> config + " has warnings or errors: " + statuses(context));
    }

    private static String statuses(LoggerContext context) {
        StringBuilder sb = new StringBuilder();
        context.getStatusManager().getCopyOfStatusList().forEach(s -> sb.append('\n').append(s));
        return sb.toString();
    }

    @Test
    void theBuiltInConfigurationWritesToTheConsoleThroughACountingAppender() throws Exception {
        URL builtIn = LogbackConfigurationTest.class.getClassLoader().getResource("logback.xml");
        assertNotNull(builtIn);
        LoggerContext context = newContext();
        configure(context, builtIn);
        CountingAsyncAppender async = assertInstanceOf(CountingAsyncAppender.class,
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC"));
        assertTrue(async.isStarted());
        assertTrue(async.isNeverBlock());
        assertEquals(0, new DroppedLogLines(context).count());
        context.stop();
    }

    @Test
    void theDeploySampleRollsAFileInTheDirectoryGiven() throws Exception {
        Path sample = Path.of("..", "deploy", "logback.xml");
        assertTrue(Files.isRegularFile(sample), sample.toAbsolutePath().toString());
        LoggerContext context = newContext();
        System.setProperty("mta.log.dir", dir.toString());
        try {
            configure(context, sample.toUri().toURL());
        } finally {
            System.clearProperty("mta.log.dir");
        }
        context.getLogger("dev.mta.mail").info("1A226A930EA897DE: removed");
        context.getLogger("io.netty.channel").info("not at INFO");
        context.stop(); // the async appender writes out what it holds
        String log = Files.readString(dir.resolve("mta.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains(" INFO  [") && log.endsWith("mail - 1A226A930EA897DE: removed\n"), log);
        assertTrue(!log.contains("not at INFO"), log);
    }
}
