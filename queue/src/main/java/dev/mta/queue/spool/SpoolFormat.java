package dev.mta.queue.spool;

import dev.mta.queue.Envelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a spool file: a text envelope of "key value" lines, an empty line, then the message exactly as
 * it will be relayed (Received header first, dot-unstuffed, CRLF line ends).
 */
public final class SpoolFormat {
    static final String MAGIC = "MTA-SPOOL 1";

    private SpoolFormat() {
    }

    /** The envelope section, with the empty line that ends it. */
    public static byte[] encodeEnvelope(String id, long arrivalMillis, Envelope e) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(MAGIC).append('\n')
                .append("id ").append(id).append('\n')
                .append("arrival ").append(arrivalMillis).append('\n')
                .append("client ").append(e.clientAddress()).append('\n')
                .append("helo ").append(e.heloName()).append('\n')
                .append("protocol ").append(e.protocol()).append('\n')
                .append("from ").append(e.reversePath()).append('\n')
                .append("params ").append(e.mailParameters()).append('\n');
        for (String r : e.recipients()) {
            sb.append("rcpt ").append(r).append('\n');
        }
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the envelope section at the start of {@code data}. */
    public static SpooledMessage decode(byte[] data) throws IOException {
        int pos = 0;
        String id = null;
        long arrival = -1;
        String client = "", helo = "", protocol = "", from = null, params = "";
        List<String> rcpts = new ArrayList<>();
        boolean first = true;
        while (true) {
            int nl = indexOf(data, (byte) '\n', pos);
            if (nl < 0) {
                throw new IOException("spool file has no end of envelope");
            }
            String line = new String(data, pos, nl - pos, StandardCharsets.UTF_8);
            pos = nl + 1;
            if (first) {
                if (!line.equals(MAGIC)) {
                    throw new IOException("not a spool file: " + line);
                }
                first = false;
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1);
            switch (key) {
                case "id": id = value; break;
                case "arrival": arrival = Long.parseLong(value); break;
                case "client": client = value; break;
                case "helo": helo = value; break;
                case "protocol": protocol = value; break;
                case "from": from = value; break;
                case "params": params = value; break;
                case "rcpt": rcpts.add(value); break;
                default: throw new IOException("unknown envelope field " + key);
            }
        }
        if (id == null || from == null || arrival < 0) {
            throw new IOException("incomplete envelope");
        }
        Envelope envelope = new Envelope(from, params, rcpts, client, helo, protocol);
        byte[] body = new byte[data.length - pos];
        System.arraycopy(data, pos, body, 0, body.length);
        return new SpooledMessage(id, arrival, envelope, body);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
