package dev.mta.mailauth.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One DNS response read as a {@link TimedResult}: the response code, the records of the asked type along the CNAME
 * chain the server gave, and how long the answer may be cached (RFC 2308 for negative answers).
 */
final class AnswerReader {
    /** Negative answers without an SOA to say otherwise: short, a stub's own cache cannot loop (RFC 2308 5's worry). */
    static final long DEFAULT_NEGATIVE_TTL = 30;
    /** Negative answers at most this long, as RFC 2308 5 advises (1 to 3 hours). */
    static final long MAX_NEGATIVE_TTL = 3 * 3600;
    /** Positive answers at most a day, however long their TTL. */
    static final long MAX_TTL = 86_400;
    /** CNAME hops followed inside one answer: more is a loop or abuse. */
    private static final int MAX_CNAME_HOPS = 16;
    /** SOA record data ends with five 32-bit fields, MINIMUM last (RFC 1035 3.3.13). */
    private static final int SOA_FIXED_OCTETS = 20;

    private AnswerReader() {
    }

    /**
     * What {@code response} to a question for {@code name} (as sent, trailing dot or not) of {@code type} says.
     * NXDOMAIN is NXDOMAIN; NOERROR without records of the type is NODATA; any other code, or a truncated answer (the
     * TCP retry was not configured or failed), is TEMPFAIL.
     */
    static <T> TimedResult<T> read(DnsResponse response, String name, DnsRecordType type, RecordData.Decoder<T> decoder) {
        DnsResponseCode code = response.code();
        boolean nxdomain = code.equals(DnsResponseCode.NXDOMAIN);
        if ((!nxdomain && !code.equals(DnsResponseCode.NOERROR)) || response.isTruncated()) {
            return TimedResult.tempfail();
        }
        Set<String> chain = new HashSet<>();
        long ttl = followCnames(response, key(name), chain);
        if (nxdomain) {
            // The code speaks of the chain's last name (RFC 6604 2.1).
            return new TimedResult<>(DnsResult.nxdomain(), Math.min(ttl, negativeTtl(response)));
        }
        List<DnsRecord> found = new ArrayList<>();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type().equals(type) && chain.contains(key(r.name()))) {
                found.add(r);
                ttl = Math.min(ttl, r.timeToLive());
            }
        }
        if (found.isEmpty()) {
            return new TimedResult<>(DnsResult.nodata(), Math.min(ttl, negativeTtl(response)));
        }
        return new TimedResult<>(decoder.decode(found), Math.max(0, Math.min(ttl, MAX_TTL)));
    }

    /**
     * Adds to {@code chain} the names from {@code start} through the answer's CNAMEs, and gives the smallest TTL among
     * those CNAMEs ({@link #MAX_TTL} when there are none): the answer is only as fresh as its chain.
     */
    private static long followCnames(DnsResponse response, String start, Set<String> chain) {
        long ttl = MAX_TTL;
        String current = start;
        chain.add(current);
        for (int hops = 0; hops < MAX_CNAME_HOPS; hops++) {
            DnsRecord cname = cnameOf(response, current);
            if (cname == null) {
                break;
            }
            ttl = Math.min(ttl, cname.timeToLive());
            // Netty hands CNAME data already decompressed into a buffer of its own.
            current = key(DefaultDnsRecordDecoder.decodeName(((DnsRawRecord) cname).content().duplicate()));
            if (!chain.add(current)) {
                break;
            }
        }
        return ttl;
    }

    private static DnsRecord cnameOf(DnsResponse response, String owner) {
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type().equals(DnsRecordType.CNAME) && key(r.name()).equals(owner)) {
                return r;
            }
        }
        return null;
    }

    /** RFC 2308 5: the smaller of the SOA record's TTL and its MINIMUM field; a short default without an SOA. */
    static long negativeTtl(DnsResponse response) {
        for (int i = 0; i < response.count(DnsSection.AUTHORITY); i++) {
            DnsRecord r = response.recordAt(DnsSection.AUTHORITY, i);
            if (r.type().equals(DnsRecordType.SOA) && r instanceof DnsRawRecord raw) {
                ByteBuf c = raw.content();
                // Two names (at least one octet each) and the five fields.
                if (c.readableBytes() < 2 + SOA_FIXED_OCTETS) {
                    continue;
                }
                long minimum = c.getUnsignedInt(c.writerIndex() - 4);
                return Math.max(0, Math.min(Math.min(r.timeToLive(), minimum), MAX_NEGATIVE_TTL));
            }
        }
        return DEFAULT_NEGATIVE_TTL;
    }

    /** Names compare without case and without the trailing dot. */
    private static String key(String name) {
        return RecordData.withoutDot(name).toLowerCase(Locale.ROOT);
    }
}
