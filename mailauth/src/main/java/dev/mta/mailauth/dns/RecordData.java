package dev.mta.mailauth.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The record data of each type this package asks for, read from Netty's decoded records while their response is still
 * held (the buffers are released with it). Malformed data throws; the query then ends in TEMPFAIL.
 */
final class RecordData {
    /** The TXT answer size over which the answer is TOO_BIG (a permerror for SPF, DKIM and DMARC). */
    static final int MAX_TXT_OCTETS = 8 * 1024;

    private RecordData() {
    }

    /** Turns the records of the asked type (at least one) into a result. */
    @FunctionalInterface
    interface Decoder<T> {
        DnsResult<T> decode(List<DnsRecord> records);
    }

    static Decoder<String> txt() {
        return RecordData::txt;
    }

    static Decoder<InetAddress> a() {
        return each(r -> address(r, 4));
    }

    static Decoder<InetAddress> aaaa() {
        return each(r -> address(r, 16));
    }

    static Decoder<MxHost> mx() {
        return each(RecordData::mx);
    }

    static Decoder<String> ptr() {
        return each(r -> withoutDot(((DnsPtrRecord) r).hostname()));
    }

    private static <T> Decoder<T> each(Function<DnsRecord, T> one) {
        return records -> {
            List<T> out = new ArrayList<>(records.size());
            for (DnsRecord r : records) {
                out.add(one.apply(r));
            }
            return DnsResult.found(out);
        };
    }

    /**
     * Each record's character-strings joined with nothing between (RFC 7208 3.3, RFC 6376 3.6.2.2), decoded as
     * ISO-8859-1: one char per octet, so any octet decodes (nothing is replaced by U+FFFD and so hidden), a non-ASCII
     * octet stays visible to the record parsers, which want ASCII and reject it, and a caller wanting UTF-8 text (an
     * SPF explanation) gets it back losslessly with {@code new String(s.getBytes(ISO_8859_1), UTF_8)}. Measured
     * before decoding: over {@link #MAX_TXT_OCTETS} of record data in all is TOO_BIG.
     */
    private static DnsResult<String> txt(List<DnsRecord> records) {
        long total = 0;
        for (DnsRecord r : records) {
            total += content(r).readableBytes();
        }
        if (total > MAX_TXT_OCTETS) {
            return DnsResult.tooBig();
        }
        List<String> out = new ArrayList<>(records.size());
        for (DnsRecord r : records) {
            ByteBuf c = content(r);
            StringBuilder joined = new StringBuilder(c.readableBytes());
            for (int i = c.readerIndex(); i < c.writerIndex(); ) {
                int length = c.getUnsignedByte(i++);
                if (i + length > c.writerIndex()) {
                    throw new IllegalArgumentException("TXT character-string runs past its record");
                }
                joined.append(c.toString(i, length, StandardCharsets.ISO_8859_1));
                i += length;
            }
            out.add(joined.toString());
        }
        return DnsResult.found(out);
    }

    private static InetAddress address(DnsRecord r, int octets) {
        ByteBuf c = content(r);
        if (c.readableBytes() != octets) {
            throw new IllegalArgumentException(r.type() + " record of " + c.readableBytes() + " octets");
        }
        byte[] b = new byte[octets];
        c.getBytes(c.readerIndex(), b);
        try {
            // Inet6Address keeps an IPv4-mapped AAAA as IPv6 (InetAddress.getByAddress would make it IPv4); no host
            // name is attached, so nothing later tries a reverse lookup behind the caller's back.
            return octets == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Preference and exchange; "." (a null MX, RFC 7505) is the host "". */
    private static MxHost mx(DnsRecord r) {
        // The content is a view of the whole message positioned at the record data, so compressed names resolve.
        ByteBuf c = content(r).duplicate();
        int preference = c.readUnsignedShort();
        return new MxHost(preference, withoutDot(DefaultDnsRecordDecoder.decodeName(c)));
    }

    private static ByteBuf content(DnsRecord r) {
        return ((DnsRawRecord) r).content();
    }

    static String withoutDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
