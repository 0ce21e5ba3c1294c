package dev.mta.server.durability;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;
import dev.mta.server.support.MtaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A spool written by a newer build: the MTA refuses it in one line with status 2, and leaves it as it was. */
class NewerSpoolFormatTest {
    @TempDir
    Path dir;

    @Test
    void aSpoolOfANewerFormatRefusesToStart() throws Exception {
        Path spool = dir.resolve("spool");
        DurableQueue.open(QueueConfig.defaults(spool)).close();
        Path seg;
        try (var files = Files.list(spool)) {
            seg = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(seg);
        for (int at : new int[]{0, 4096}) {
            ByteBuffer.wrap(bytes).putInt(at + 8, 99);
            CRC32C crc = new CRC32C();
            crc.update(bytes, at, 8 + 4 + 8 + 16);
            ByteBuffer.wrap(bytes).putInt(at + 36, (int) crc.getValue());
        }
        Files.write(seg, bytes);

        Process p = MtaProcess.start(MtaProcess.freePort(), spool, dir.resolve("out.log"), List.of("--no-relay"));
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "exits by itself");
        assertEquals(2, p.exitValue());
        String out = Files.readString(dir.resolve("out.log"));
        assertTrue(out.contains("mta: spool segment " + seg.getFileName() + " is in queue format 99, newer than this"
                + " build reads"), out);
        assertTrue(!out.contains("\tat "), "one line, no stack trace: " + out);
        assertArrayEquals(bytes, Files.readAllBytes(seg), "the spool is left as it was");
    }
}
