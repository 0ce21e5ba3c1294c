package dev.mta.queue;

import dev.mta.queue.model.QueueIds;

import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage to the spool on disk, one byte at a time: only what was damaged is lost, nothing is ever cut from a sealed
 * segment, the damaged segment is kept in corrupt/, and content that imitates records is never taken for one.
 */
class SpoolDamageTest {
    private static final int MESSAGES = 300;

    @TempDir
    Path dir;
    private DurableQueue queue;
    private final List<byte[]> bodies = new ArrayList<>();

    private DurableQueue open() throws Exception {
        if (queue != null) {
            queue.close();
        }
        queue = DurableQueue.open(new QueueConfig(dir, 64 * 1024, QueueConfig.DEFAULT_INLINE_LIMIT, RetrySchedule.DEFAULT));
        return queue;
    }

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private static String enqueue(DurableQueue q, byte[] body, String rcpt) throws Exception {
        IncomingMessage m = q.receive(Envelopes.of("s@example.com", "", List.of(rcpt), "192.0.2.1", "c.test", "ESMTP"));
        m.write(Unpooled.wrappedBuffer(body));
        return m.commit().get();
    }

    private static byte[] body(int n) {
        StringBuilder sb = new StringBuilder("Subject: message " + n + "\r\n\r\n" + marker(n) + "\r\n");
        while (sb.length() < 1000) {
            sb.append("line ").append(sb.length()).append(" of message ").append(n).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String marker(int n) {
        return String.format("MARKER-%04d-END", n);
    }

    /** Queues 300 messages of 1 KB over several 64 KB segments and closes the queue; returns their ids. */
    private List<String> fill() throws Exception {
        DurableQueue q = open();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            bodies.add(body(i));
            ids.add(enqueue(q, bodies.get(i), "r" + i + "@d.example"));
        }
        q.close();
        queue = null;
        assertTrue(SegmentFiles.segments(dir).size() >= 4, "several segments");
        return ids;
    }

    /** Every message but {@code lost} is back, byte for byte. */
    private void assertAllBut(DurableQueue q, List<String> ids, int... lost) throws Exception {
        List<Integer> gone = java.util.Arrays.stream(lost).boxed().collect(Collectors.toList());
        for (int i = 0; i < ids.size(); i++) {
            if (gone.contains(i)) {
                assertTrue(q.find(ids.get(i)).isEmpty(), "message " + i + " was damaged and must not come back");
            } else {
                int n = i;
                assertArrayEquals(bodies.get(i), q.body(ids.get(i)).orElseThrow(() ->
                        new AssertionError("message " + n + " lost")).readAll(), "message " + i);
            }
        }
        assertEquals(ids.size() - lost.length, q.size());
    }

    @Test
    void aByteFlippedInABodyLosesThatMessageAlone() throws Exception {
        List<String> ids = fill();
        SegmentFiles.Record r = SegmentFiles.containing(dir, marker(40));
        assertEquals(SegmentFiles.segments(dir).get(0), r.segment(), "the first segment, sealed long ago");
        long size = Files.size(r.segment());
        SegmentFiles.flip(r.segment(), SegmentFiles.offsetOf(r.segment(), marker(40)) + 3);

        DurableQueue q = open();
        assertAllBut(q, ids, 40);
        assertEquals(size, Files.size(r.segment()), "nothing cut from a sealed segment");
        assertTrue(Files.exists(dir.resolve("corrupt").resolve(r.segment().getFileName())), "a copy set aside");
        RecoveryReport report = q.recoveryReport();
        assertEquals(1, report.damagedRecords());
        assertEquals(1, report.messagesLost());
        assertEquals(1, report.setAside());

        // The queue goes on, and the damage is found again (not made worse) at the next start.
        bodies.add(body(999));
        ids.add(enqueue(q, bodies.get(MESSAGES), "more@d.example"));
        q = open();
        assertAllBut(q, ids, 40);
    }

    @Test
    void aByteFlippedInALengthFieldLosesOnlyThatRecord() throws Exception {
        List<String> ids = fill();
        SegmentFiles.Record r = SegmentFiles.containing(dir, marker(41));
        SegmentFiles.flip(r.segment(), r.offset() + 6); // the length's third byte: the next header is "somewhere else"

        DurableQueue q = open();
        assertAllBut(q, ids, 41);
        assertEquals(1, q.recoveryReport().damagedRecords());
        assertEquals(1, q.recoveryReport().messagesLost(), "the lost message is counted (and named in the log)");
        assertEquals(RecordType.MESSAGE, r.type());
    }

    @Test
    void damageAtTheEndOfASealedSegmentIsNotCutOff() throws Exception {
        List<String> ids = fill();
        Path first = SegmentFiles.segments(dir).get(0);
        List<SegmentFiles.Record> records = SegmentFiles.records(first);
        SegmentFiles.Record last = records.get(records.size() - 1);
        long size = Files.size(first);
        SegmentFiles.flip(first, last.offset() + 15); // its tag: nothing genuine follows in this segment

        DurableQueue q = open();
        int lost = indexOfMessageIn(last, ids);
        assertAllBut(q, ids, lost);
        assertEquals(size, Files.size(first));
        assertEquals(0, q.recoveryReport().tornTailBytes());
    }

    private int indexOfMessageIn(SegmentFiles.Record r, List<String> ids) throws Exception {
        byte[] seg = Files.readAllBytes(r.segment());
        String payload = new String(seg, (int) r.payloadOffset(), r.length(), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < ids.size(); i++) {
            if (payload.contains(marker(i))) {
                return i;
            }
        }
        throw new AssertionError("no message in that record");
    }

    @Test
    void oneDamagedSegmentHeaderCopyLosesNothing() throws Exception {
        List<String> ids = fill();
        Path first = SegmentFiles.segments(dir).get(0);
        SegmentFiles.flip(first, 25); // inside the first copy's key

        DurableQueue q = open();
        assertAllBut(q, ids);
        assertFalse(q.recoveryReport().foundDamage());
    }

    @Test
    void aSegmentWithBothHeaderCopiesDamagedIsStillReadInOrder() throws Exception {
        List<String> ids = fill();
        Path first = SegmentFiles.segments(dir).get(0);
        long size = Files.size(first);
        SegmentFiles.flip(first, 25);
        SegmentFiles.flip(first, 4096 + 25);

        DurableQueue q = open();
        assertAllBut(q, ids);
        assertEquals(size, Files.size(first), "left in place: bodies are read from it");
        assertTrue(Files.exists(dir.resolve("corrupt").resolve(first.getFileName())), "a copy set aside");
        assertEquals(1, q.recoveryReport().setAside());
    }

    @Test
    void withoutItsKeyASegmentIsReadUpToItsFirstDamage() throws Exception {
        List<String> ids = fill();
        Path first = SegmentFiles.segments(dir).get(0);
        List<Integer> inFirst = new ArrayList<>();
        for (SegmentFiles.Record r : SegmentFiles.records(first)) {
            inFirst.add(indexOfMessageIn(r, ids));
        }
        int damaged = inFirst.get(10);
        SegmentFiles.flip(first, 25);
        SegmentFiles.flip(first, 4096 + 25);
        SegmentFiles.flip(first, SegmentFiles.offsetOf(first, marker(damaged)) + 3);

        DurableQueue q = open();
        // Scanning past damage is what the key makes safe: without it the rest of that segment is given up.
        assertAllBut(q, ids, inFirst.subList(10, inFirst.size()).stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void aRenamedSegmentIsLeftAlone() throws Exception {
        List<String> ids = fill();
        List<Path> segs = SegmentFiles.segments(dir);
        Path last = segs.get(segs.size() - 1);
        Path renamed = dir.resolve("0000000000000099.seg");
        Files.copy(segs.get(0), renamed);

        DurableQueue q = open();
        assertAllBut(q, ids);
        assertTrue(Files.exists(renamed), "not moved, not deleted");
        bodies.add(body(1000));
        ids.add(enqueue(q, bodies.get(MESSAGES), "new@d.example"));
        q = open();
        assertAllBut(q, ids);
        assertTrue(Files.exists(last));
    }

    /**
     * Mail content is written by strangers. A body that carries records looking as real as they can (a format-2
     * REMOVE of another message and a MESSAGE with its own recipient, checksums right, tagged under a guessed key;
     * and a format-1 record) sits behind a damaged length: the reader scans through it and must not apply any of it.
     */
    @Test
    void recordsCarriedInABodyAreNeverApplied() throws Exception {
        DurableQueue q = open();
        String victim = enqueue(q, body(1), "victim@d.example");
        ByteArrayOutputStream forged = new ByteArrayOutputStream();
        forged.write("Subject: innocent\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteBuf remove = RecordCodec.encodeRemove(ByteBufAllocator.DEFAULT, QueueIds.parse(victim));
        ByteBuf phantom = RecordCodec.encodeMessage(ByteBufAllocator.DEFAULT, 0x1234, 1L,
                Envelopes.of("evil@x.example", "", List.of("phantom@evil.example"), "192.0.2.66", "evil", "ESMTP"),
                List.of(), 6, List.of(Unpooled.wrappedBuffer("boo\r\n\r\n".getBytes(StandardCharsets.US_ASCII))), 6,
                Unpooled.EMPTY_BUFFER);
        for (int i = 0; i < 50; i++) {
            forged.write(formatTwoRecord(RecordType.REMOVE, remove));
            forged.write(formatTwoRecord(RecordType.MESSAGE, phantom));
            forged.write(formatOneRecord(RecordType.REMOVE, remove));
        }
        remove.release();
        phantom.release();
        forged.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] attack = forged.toByteArray();
        String attacker = enqueue(q, attack, "someone@d.example");
        String after = enqueue(q, body(2), "after@d.example");
        q.close();
        queue = null;

        SegmentFiles.Record r = SegmentFiles.containing(dir, "Subject: innocent");
        SegmentFiles.flip(r.segment(), r.offset() + 5);

        q = open();
        assertTrue(q.find(victim).isPresent(), "no forged REMOVE was applied");
        assertTrue(q.find(after).isPresent(), "the reader found the next genuine record");
        assertTrue(q.find(attacker).isEmpty());
        assertTrue(q.list().stream().flatMap(e -> e.recipients().stream())
                .noneMatch(x -> x.address().contains("phantom")), "no forged MESSAGE was applied");
        assertEquals(2, q.size());
    }

    /** A format-2 record header with right magic, length and CRC, and a tag under a key the attacker made up. */
    private static byte[] formatTwoRecord(byte type, ByteBuf payload) throws Exception {
        byte[] p = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), p);
        CRC32C crc = new CRC32C();
        crc.update(p);
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        ByteBuffer in = ByteBuffer.allocate(29).putLong(1).putLong(80).putInt(0xA74D5152).putInt(p.length).put(type)
                .putInt((int) crc.getValue());
        long tag = ByteBuffer.wrap(mac.doFinal(in.array())).getLong();
        return ByteBuffer.allocate(21 + p.length).putInt(0xA74D5152).putInt(p.length).put(type)
                .putInt((int) crc.getValue()).putLong(tag).put(p).array();
    }

    private static byte[] formatOneRecord(byte type, ByteBuf payload) {
        byte[] p = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), p);
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(p);
        return ByteBuffer.allocate(9 + p.length).putInt(p.length).putInt((int) crc.getValue()).put(type).put(p).array();
    }

    @Test
    void aFileThatIsNotASegmentIsLeftAlone() throws Exception {
        List<String> ids = fill();
        Path stray = Files.writeString(dir.resolve("backup.seg"), "not a segment");
        DurableQueue q = open();
        assertAllBut(q, ids);
        assertEquals("not a segment", Files.readString(stray));
    }
}
