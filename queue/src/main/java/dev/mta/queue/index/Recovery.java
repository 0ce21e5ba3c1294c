package dev.mta.queue.index;

import dev.mta.queue.model.QueueIds;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.SegmentLog;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the queue from the log's records at start: each MESSAGE, the STATE changes after it, HOLDs and RELEASEs,
 * REMOVEs. A MESSAGE for an id already known restates it (relocation): it replaces the entry, and the held flag
 * carries over from the entry it replaces (a HOLD written with the copy restates it too, for when the older records
 * are gone; the flag carried over covers a crash that kept the copy and lost that HOLD). Keeps
 * note of what damage took, so that a message whose body lies partly in a damaged stretch is not delivered
 * truncated, and the operator learns which messages were lost.
 */
public final class Recovery implements SegmentLog.RecordVisitor {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final Map<Long, QueuedMessage> messages = new LinkedHashMap<>();
    /** segment, from, to of each damaged stretch. */
    private final List<long[]> damaged = new ArrayList<>();
    private int lostMessages;

    /**
     * Puts every message still pending into {@code index} (pinning its first segment), but those whose body lies
     * partly in damage: they are lost, and named in the log. Returns how many went in.
     */
    public int admitTo(QueueIndex index) {
        int live = 0;
        for (QueuedMessage m : messages.values()) {
            if (m.isComplete()) {
                continue;
            }
            if (damagesBody(m)) {
                lostMessages++;
                log.error("{}: from=<{}> nrcpt={}: part of its body is damaged on disk; the message is lost "
                        + "(the damaged segment is kept in corrupt/)", m.idText(), m.sender.address(),
                        m.recipients.length);
                continue;
            }
            index.recovered(m);
            live++;
        }
        return live;
    }

    /** MESSAGE records known lost to damage, and messages dropped for damage to their bodies. */
    public int lostMessages() {
        return lostMessages;
    }

    @Override
    public void record(byte type, Location loc, int format, ByteBuf payload) {
        try {
            apply(type, loc, format, payload);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // Checks out yet does not decode: written wrong, or of another format than its segment says.
            log.error("segment {}: a record at offset {} checks out but cannot be read: {}", loc.segment(),
                    loc.offset(), e.toString());
            damagedRecord(type, loc, payload.readerIndex(0));
        }
    }

    private void apply(byte type, Location loc, int format, ByteBuf payload) {
        switch (type) {
            case RecordType.MESSAGE: {
                QueuedMessage m = RecordCodec.decodeMessage(payload, loc, format);
                QueuedMessage replaced = messages.put(m.id, m);
                if (replaced != null) {
                    m.held = replaced.held;
                }
                break;
            }
            case RecordType.STATE: {
                QueuedMessage m = messages.get(payload.getLong(payload.readerIndex()));
                if (m != null) {
                    RecordCodec.applyState(payload, m, format);
                }
                break;
            }
            case RecordType.REMOVE:
                messages.remove(payload.getLong(payload.readerIndex()));
                break;
            case RecordType.HOLD:
            case RecordType.RELEASE: {
                QueuedMessage m = messages.get(payload.getLong(payload.readerIndex()));
                if (m != null) {
                    m.held = type == RecordType.HOLD;
                }
                break;
            }
            default:
                break; // CHUNKs are found through the MESSAGE records that point at them; VOIDs are the log's
        }
    }

    @Override
    public void damagedRecord(byte type, Location loc, ByteBuf payload) {
        damaged.add(new long[]{loc.segment(), loc.offset(), loc.offset() + loc.length()});
        // The id leads every payload but a CHUNK's body; it is probably intact when one byte further on is not.
        name(type, payload.readableBytes() >= 8 ? QueueIds.format(payload.getLong(payload.readerIndex())) : "unknown");
    }

    @Override
    public void lostRecord(long segment, byte probableType, long probableId) {
        name(probableType, QueueIds.format(probableId));
    }

    /** Says what a lost record held, as far as can be told. */
    private void name(byte type, String id) {
        switch (type) {
            case RecordType.MESSAGE:
                lostMessages++;
                log.error("a damaged MESSAGE record (queue id probably {}) is lost", id);
                break;
            case RecordType.STATE:
                log.error("a damaged STATE record (queue id probably {}) is lost: recipients it finished may be "
                        + "delivered again", id);
                break;
            case RecordType.REMOVE:
                log.error("a damaged REMOVE record (queue id probably {}) is lost: that message may come back", id);
                break;
            case RecordType.HOLD:
            case RecordType.RELEASE:
                log.error("a damaged {} record (queue id probably {}) is lost: check whether that message is held",
                        type == RecordType.HOLD ? "HOLD" : "RELEASE", id);
                break;
            default:
                break; // a CHUNK: the message that points at it is dropped by damagesBody
        }
    }

    @Override
    public void lostRange(long segment, long from, long to) {
        damaged.add(new long[]{segment, from, to});
    }

    /** Whether any piece of the message's body lies in a damaged stretch. */
    private boolean damagesBody(QueuedMessage m) {
        for (long[] d : damaged) {
            for (int i = 0; i < m.chunks.length; i += 3) {
                long start = m.chunks[i + 1];
                long end = start + m.chunks[i + 2];
                if (m.chunks[i] == d[0] && start < d[2] && end > d[1]) {
                    return true;
                }
            }
        }
        return false;
    }
}
