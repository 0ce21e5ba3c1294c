package dev.mta.queue.index;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.EsmtpParameters;
import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.PathSyntaxException;
import dev.mta.queue.log.Location;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.RemoteMta;
import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of segment formats 1 and 2, which held text where format 3 holds typed values: addresses as
 * "local@domain", the MAIL parameters as sent, the last error as one line. Only spools written before the upgrade
 * are read this way; their records are never written again in this form (relocation restates them in format 3).
 */
public final class LegacyRecords {
    private LegacyRecords() {
    }

    static QueuedMessage decodeMessage(ByteBuf p, Location where) {
        int start = p.readerIndex();
        long id = p.readLong();
        long arrival = p.readLong();
        MailPath sender = path(RecordValues.readString(p));
        MailParameters params = parameters(RecordValues.readString(p));
        RecordValues.readString(p);
        RecordValues.readString(p);
        RecordValues.readString(p);
        int n = p.readInt();
        MailPath[] rcpts = new MailPath[n];
        byte[] states = new byte[n];
        int[] attempts = new int[n];
        long[] next = new long[n];
        Outcome[] outcomes = null;
        for (int i = 0; i < n; i++) {
            rcpts[i] = path(RecordValues.readString(p));
            states[i] = p.readByte();
            attempts[i] = p.readInt();
            next[i] = p.readLong();
            Outcome o = readLastError(p);
            if (o != null) {
                if (outcomes == null) {
                    outcomes = new Outcome[n];
                }
                outcomes[i] = o;
            }
        }
        long[] chunks = RecordCodec.readChunks(p);
        long bodyLength = p.readLong();
        int inlineLength = p.readInt();
        int inlineOffset = p.readerIndex() - start;
        return new QueuedMessage(id, arrival, sender, params, rcpts, states, attempts, next, outcomes, chunks, where,
                inlineOffset, inlineLength, bodyLength, 0);
    }

    static Envelope decodeEnvelope(ByteBuf p) {
        p.readLong();
        p.readLong();
        MailPath sender = path(RecordValues.readString(p));
        MailParameters params = parameters(RecordValues.readString(p));
        String client = RecordValues.readString(p);
        String helo = RecordValues.readString(p);
        String protocol = RecordValues.readString(p);
        int n = p.readInt();
        List<MailPath> rcpts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rcpts.add(path(RecordValues.readString(p)));
            p.skipBytes(1 + 4 + 8);
            RecordValues.readString(p);
        }
        return new Envelope(sender, params, rcpts, client, helo, protocol);
    }

    /** The last error as one line, turned back into what it said (see {@link #lastError}). */
    static Outcome readLastError(ByteBuf p) {
        String err = RecordValues.readString(p);
        return err.isEmpty() ? null : lastError(err);
    }

    /**
     * A last error as formats 1 and 2 wrote it, typed again, so that a message deferred before the upgrade still
     * expires with its real reason: {@code host[ip]:port said: 450 4.2.1 busy} (a next hop's reply, its status,
     * the remote MTA), {@code 451 4.3.0 busy} (a reply), or {@code 4.4.1 connect to ...} (a problem met here). Text
     * in none of these forms is kept as it is, with the status of a deferral nothing more is known of (4.0.0).
     */
    static Outcome lastError(String text) {
        String reply = text;
        RemoteMta mta = null;
        int said = text.indexOf(" said: ");
        if (said > 0) {
            mta = remoteMta(text.substring(0, said));
            reply = text.substring(said + " said: ".length());
        }
        if (reply.length() >= 3 && reply.chars().limit(3).allMatch(c -> c >= '0' && c <= '9')
                && (reply.length() == 3 || reply.charAt(3) == ' ')) {
            int code = Integer.parseInt(reply.substring(0, 3));
            if (code >= 200 && code < 600) {
                String rest = reply.length() > 4 ? reply.substring(4) : "";
                return Outcome.reply(code, rest.isEmpty() ? List.of() : List.of(rest), mta).as(Outcome.Kind.DEFERRED);
            }
        }
        EnhancedStatus status = EnhancedStatus.leading(text);
        if (status != null && status.statusClass() != 2) {
            return new Outcome(Outcome.Kind.DEFERRED, status, 0, mta, text);
        }
        return Outcome.deferred(text);
    }

    /** {@code host[ip]:port}, as the relay named a next hop; null when it does not read as one. */
    private static RemoteMta remoteMta(String text) {
        int open = text.lastIndexOf('[');
        int close = text.lastIndexOf("]:");
        if (open <= 0 || close < open) {
            return null;
        }
        try {
            int port = Integer.parseInt(text.substring(close + 2));
            // Only an address literal is taken: parsed, never looked up.
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(text.substring(open + 1, close));
            if (literal == null) {
                return null;
            }
            InetAddress ip = InetAddress.getByAddress(literal);
            return new RemoteMta(text.substring(0, open), new InetSocketAddress(ip, port));
        } catch (UnknownHostException | IllegalArgumentException e) { // a bad port number too
            return null;
        }
    }

    /** "local@domain" as the server stored it: the domain holds no '@', so the last one splits them. */
    public static MailPath path(String address) {
        if (address.isEmpty()) {
            return MailPath.NULL;
        }
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String domain = at < 0 ? "" : address.substring(at + 1);
        return new MailPath(local, domain, !RecordValues.isAscii(address));
    }

    /** The MAIL parameters as sent; they passed the grammar when received, so a failure here means damage. */
    public static MailParameters parameters(String raw) {
        if (raw.isEmpty()) {
            return MailParameters.DEFAULT;
        }
        try {
            EsmtpParameters p = EsmtpParameters.parse(raw);
            String size = p.get("SIZE");
            String body = p.get("BODY");
            BodyType type = body == null ? BodyType.SEVEN_BIT : BodyType.of(body);
            return new MailParameters(size == null ? -1 : size.length() > 18 ? Long.MAX_VALUE : Long.parseLong(size),
                    type == null ? BodyType.SEVEN_BIT : type, p.has("SMTPUTF8"));
        } catch (PathSyntaxException | NumberFormatException e) {
            throw new IllegalArgumentException("unreadable MAIL parameters in a queued message: " + raw, e);
        }
    }
}
