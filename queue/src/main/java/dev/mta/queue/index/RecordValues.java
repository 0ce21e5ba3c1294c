package dev.mta.queue.index;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** The typed values inside record payloads (format 3): strings, paths, MAIL parameters, outcomes. */
final class RecordValues {
    private RecordValues() {
    }

    static void writePath(ByteBuf b, MailPath path) {
        writeString(b, path.localPart());
        writeString(b, path.domain());
    }

    static MailPath readPath(ByteBuf b) {
        String local = readString(b);
        String domain = readString(b);
        return local.isEmpty() && domain.isEmpty() ? MailPath.NULL : new MailPath(local, domain, !isAscii(local + domain));
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    static MailParameters readParameters(ByteBuf b) {
        long size = b.readLong();
        int body = b.readByte();
        boolean utf8 = b.readBoolean();
        return new MailParameters(size, BodyType.values()[body], utf8);
    }

    static void writeOutcome(ByteBuf b, Outcome o) {
        if (o == null) {
            b.writeByte(0);
            return;
        }
        b.writeByte(1).writeByte(o.kind().ordinal());
        EnhancedStatus s = o.status();
        b.writeByte(s.statusClass()).writeShort(s.subject()).writeShort(s.detail());
        b.writeShort(o.replyCode());
        RemoteMta mta = o.remoteMta();
        writeString(b, mta == null ? "" : mta.host());
        writeString(b, mta == null || mta.address().getAddress() == null ? "" : mta.address().getAddress().getHostAddress());
        b.writeShort(mta == null ? 0 : mta.address().getPort());
        writeString(b, o.text());
    }

    static Outcome readOutcome(ByteBuf b) {
        if (b.readByte() == 0) {
            return null;
        }
        Outcome.Kind kind = Outcome.Kind.values()[b.readByte()];
        EnhancedStatus status = EnhancedStatus.of(b.readByte(), b.readUnsignedShort(), b.readUnsignedShort());
        int code = b.readUnsignedShort();
        String host = readString(b);
        String ip = readString(b);
        int port = b.readUnsignedShort();
        String text = readString(b);
        RemoteMta mta = null;
        // Written as an address literal; anything else (damage) is dropped rather than looked up.
        byte[] literal = ip.isEmpty() ? null : NetUtil.createByteArrayFromIpAddressString(ip);
        if (literal != null) {
            try {
                mta = new RemoteMta(host, new InetSocketAddress(InetAddress.getByAddress(literal), port));
            } catch (UnknownHostException e) {
                mta = null;
            }
        }
        return new Outcome(kind, status, code, mta, text);
    }

    static void writeString(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.writeInt(bytes.length).writeBytes(bytes);
    }

    static String readString(ByteBuf b) {
        int n = b.readInt();
        if (n == 0) {
            return "";
        }
        String s = b.toString(b.readerIndex(), n, StandardCharsets.UTF_8);
        b.skipBytes(n);
        return s;
    }
}
