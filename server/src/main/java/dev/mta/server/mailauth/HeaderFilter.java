package dev.mta.server.mailauth;

import dev.mta.mailauth.results.ForgedResults;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's header section on its way to the store, field by field: each field is held back until the next line
 * shows it complete (a line not starting with white space, or the empty line), then dropped if it is an
 * Authentication-Results claiming our authserv-id, else passed on; the body passes untouched. It keeps the From
 * fields' values for DMARC. Holding one field at a time (not the whole section) keeps memory to the longest field;
 * past {@link #MAX_HEADER_BYTES} of header it stops looking, as DKIM does.
 */
final class HeaderFilter {
    /** As mailauth's DkimVerifier.MAX_HEADER_BYTES: a longer header section is not read for fields. */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    private final ForgedResults forged;
    private final List<String> fromValues = new ArrayList<>(1);
    /** The field being read, complete lines only. */
    private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
    /** The line being read. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    /** The first byte of {@link #line}, kept as it comes so that ending a line copies nothing to look at it. */
    private byte lineFirst;
    private boolean inHeader = true;
    private long headerBytes;
    private int dropped;

    HeaderFilter(String authservId) {
        this.forged = new ForgedResults(authservId);
    }

    /** Takes ownership of {@code data}; returns what to store now, or null. */
    ByteBuf content(ByteBuf data) {
        if (!inHeader) {
            return data;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int end = data.writerIndex();
        int i = data.readerIndex();
        while (i < end && inHeader) {
            byte b = data.getByte(i++);
            if (line.size() == 0) {
                lineFirst = b;
            }
            line.write(b);
            if (++headerBytes > MAX_HEADER_BYTES) {
                giveUp(out); // everything held goes on as it came
            } else if (b == '\n') {
                lineEnded(out);
            }
        }
        if (inHeader || i == end) {
            data.release();
            return out.size() == 0 ? null : Unpooled.wrappedBuffer(out.toByteArray());
        }
        ByteBuf body = data.retainedSlice(i, end - i);
        data.release();
        return out.size() == 0 ? body : Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(out.toByteArray()), body);
    }

    /** The content ended: whatever is still held (a header section without an empty line), or null. */
    ByteBuf end() {
        if (!inHeader) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fieldEnded(out);
        out.writeBytes(line.toByteArray());
        line.reset();
        inHeader = false;
        return out.size() == 0 ? null : Unpooled.wrappedBuffer(out.toByteArray());
    }

    /** The values of the From fields seen, unfolded only as far as the text goes. */
    List<String> fromValues() {
        return fromValues;
    }

    /** Forged Authentication-Results fields left out. */
    int dropped() {
        return dropped;
    }

    private void lineEnded(ByteArrayOutputStream out) {
        int n = line.size();
        byte first = n > 0 ? lineFirst : 0;
        boolean empty = n <= 2 && (first == '\r' || first == '\n');
        if (!empty && (first == ' ' || first == '\t') && field.size() > 0) {
            field.writeBytes(line.toByteArray());
            line.reset();
            return;
        }
        fieldEnded(out);
        if (empty) {
            out.writeBytes(line.toByteArray());
            inHeader = false;
        } else {
            field.writeBytes(line.toByteArray());
        }
        line.reset();
    }

    private void fieldEnded(ByteArrayOutputStream out) {
        if (field.size() == 0) {
            return;
        }
        String text = field.toString(StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        String name = colon > 0 ? text.substring(0, colon).strip() : "";
        if (name.equalsIgnoreCase("From")) {
            fromValues.add(new String(field.toByteArray(), colon + 1, field.size() - colon - 1,
                    StandardCharsets.UTF_8));
        }
        if (forged.isForged(text)) {
            dropped++;
        } else {
            out.writeBytes(field.toByteArray());
        }
        field.reset();
    }

    private void giveUp(ByteArrayOutputStream out) {
        out.writeBytes(field.toByteArray());
        out.writeBytes(line.toByteArray());
        field.reset();
        line.reset();
        inHeader = false;
    }
}
