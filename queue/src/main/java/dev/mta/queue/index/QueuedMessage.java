package dev.mta.queue.index;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.QueueEntry;
import dev.mta.queue.model.QueueIds;
import dev.mta.queue.model.RecipientState;
import dev.mta.queue.log.Location;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.schedule.DueScheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * The index entry of one queued message: envelope and recipient states, and where its body lies in the log.
 * Never the body itself. Its changing parts are guarded by the {@link QueueIndex}'s lock and only this package
 * changes them; others read what never changes (id, arrival, envelope) and, for a job they hold, the outcomes.
 */
public final class QueuedMessage {
    private static final RecipientState[] STATES = RecipientState.values();
    /** One for every queue of the process: equal paths of any of them may share. */
    private static final SharedPaths SHARED = new SharedPaths();

    final long id;
    final long arrival;
    /**
     * When the message was on stable storage (its commit done), for the mail log's receipt time; in memory only:
     * a message recovered at start has its arrival here, its receipt time unknown.
     */
    long queued;
    final MailPath sender;
    final MailParameters parameters;
    final MailPath[] recipients;
    final byte[] states;
    final int[] attempts;
    final long[] nextAttempt;
    /** What the last attempt did for each recipient; null until an attempt reports. */
    Outcome[] lastOutcome;
    /** Spilled body chunks: segment, offset, length for each. Moved only by relocation, under the index's lock. */
    long[] chunks;
    Location record;
    int inlineOffset;
    int inlineLength;
    /**
     * The header prefix's length: it lies in the record after the inline bytes and their length field
     * ({@link RecordCodec}); 0 for none, and after relocation, which copies it into the chunks.
     */
    int prefixLength;
    /** The whole stored message: the header prefix, the chunks and the inline bytes. */
    final long bodyLength;
    long firstSegment;
    boolean removed;
    /** Units of work handed out and not reported yet: the body may be being read, so it must not move. */
    int leases;
    /** On hold (by the operator): no unit of work of it is handed out until it is released. */
    boolean held;
    /** Units of work that came due while the message was held; they go back to the schedule on release. */
    List<DueScheduler.Unit<QueuedMessage>> parked;
    /**
     * Counts the changes that are written to the log (outcomes, hold, release, removal): relocation restates the
     * message as it was at one count and gives up its copy when the count has moved on meanwhile.
     */
    long changes;
    /** How {@link QueueTally} counts it now (its state, or NONE), and the recipients it counted: of that state,
     *  and (for an active message) deferred. Under the index's lock. */
    byte talliedAs = QueueTally.NONE;
    int talliedOwn;
    int talliedDeferred;

    /** Takes {@code recipients} over: its paths are replaced by shared equal ones ({@link SharedPaths}). */
    QueuedMessage(long id, long arrival, MailPath sender, MailParameters parameters, MailPath[] recipients, byte[] states,
                  int[] attempts, long[] nextAttempt, Outcome[] lastOutcome, long[] chunks, Location record,
                  int inlineOffset, int inlineLength, long bodyLength, int prefixLength) {
        this.id = id;
        this.arrival = arrival;
        this.queued = arrival;
        this.sender = SHARED.share(sender);
        this.parameters = parameters;
        for (int i = 0; i < recipients.length; i++) {
            recipients[i] = SHARED.share(recipients[i]);
        }
        this.recipients = recipients;
        this.states = states;
        this.attempts = attempts;
        this.nextAttempt = nextAttempt;
        this.lastOutcome = lastOutcome;
        this.chunks = chunks;
        this.record = record;
        this.inlineOffset = inlineOffset;
        this.inlineLength = inlineLength;
        this.bodyLength = bodyLength;
        this.prefixLength = prefixLength;
        this.firstSegment = firstSegmentOf(chunks, record);
    }

    static long firstSegmentOf(long[] chunks, Location record) {
        long first = record.segment();
        for (int i = 0; i < chunks.length; i += 3) {
            first = Math.min(first, chunks[i]);
        }
        return first;
    }

    /** Points the message at a new copy of itself: all body in chunks, nothing inline. */
    void moveTo(long[] newChunks, Location newRecord) {
        chunks = newChunks;
        record = newRecord;
        inlineOffset = newRecord.length();
        inlineLength = 0;
        prefixLength = 0;
        firstSegment = firstSegmentOf(newChunks, newRecord);
    }

    /**
     * The heap this entry takes, estimated: the object and its arrays, the strings (Latin-1, one byte a character,
     * more for UTF-8 addresses), the index and schedule entries. Used to bound the index, not to measure it.
     */
    long footprint() {
        long bytes = 440 + sender.localPart().length() + sender.domain().length();
        for (MailPath r : recipients) {
            bytes += 112 + r.localPart().length() + r.domain().length();
        }
        return bytes;
    }

    public long id() {
        return id;
    }

    public String idText() {
        return QueueIds.format(id);
    }

    public long arrival() {
        return arrival;
    }

    /** When the message was committed (milliseconds); its arrival when it was recovered at start. */
    public long queued() {
        return queued;
    }

    public MailPath sender() {
        return sender;
    }

    public MailParameters parameters() {
        return parameters;
    }

    public MailPath recipient(int i) {
        return recipients[i];
    }

    /**
     * Where the stored message lies, piece by piece (segment, offset, length): the header prefix if any, the chunks,
     * then what the MESSAGE record holds inline. Every reader of the content goes through this, so each gets the
     * prefix with the body. Read it under the index's lock (relocation moves it).
     */
    long[] bodyPieces() {
        int first = prefixLength > 0 ? 3 : 0;
        long[] pieces = new long[first + chunks.length + 3];
        if (prefixLength > 0) {
            pieces[0] = record.segment();
            pieces[1] = record.offset() + inlineOffset + inlineLength + 4;
            pieces[2] = prefixLength;
        }
        System.arraycopy(chunks, 0, pieces, first, chunks.length);
        pieces[first + chunks.length] = record.segment();
        pieces[first + chunks.length + 1] = record.offset() + inlineOffset;
        pieces[first + chunks.length + 2] = inlineLength;
        return pieces;
    }

    /** The length of the stored message, its header prefix included. */
    public long bodyLength() {
        return bodyLength;
    }

    RecipientState state(int i) {
        return STATES[states[i]];
    }

    void setOutcome(int i, Outcome o) {
        if (o == null && lastOutcome == null) {
            return;
        }
        if (lastOutcome == null) {
            lastOutcome = new Outcome[recipients.length];
        }
        lastOutcome[i] = o;
    }

    /** What the last attempt did for recipient {@code i}; null before any. */
    public Outcome outcome(int i) {
        return lastOutcome == null ? null : lastOutcome[i];
    }

    public boolean isComplete() {
        for (byte s : states) {
            if (s == RecipientState.PENDING.ordinal()) {
                return false;
            }
        }
        return true;
    }

    QueueEntry toEntry() {
        List<QueueEntry.Recipient> rs = new ArrayList<>();
        for (int i = 0; i < recipients.length; i++) {
            if (states[i] == RecipientState.PENDING.ordinal()) {
                rs.add(new QueueEntry.Recipient(recipients[i], state(i), attempts[i], nextAttempt[i], outcome(i)));
            }
        }
        return new QueueEntry(idText(), arrival, sender, parameters, bodyLength, rs, held);
    }
}
