package dev.mta.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The records {@link TestDnsServer} serves and the reply each question gets, whichever transport asked. */
final class TestDnsZone {
    private static final int DEFAULT_TTL = 60;
    private static final int MAX_CNAME_HOPS = 8;

    private final Map<String, List<Rr>> records = new ConcurrentHashMap<>();
    private final Map<String, String> cnames = new ConcurrentHashMap<>();
    private final Map<String, Integer> ttls = new ConcurrentHashMap<>();
    private final Set<String> exists = ConcurrentHashMap.newKeySet();
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile int[] soa; // {ttl, minimum}, or null: negative answers carry no SOA

    /** One record's type and wire data (owner and TTL are added as it is answered). */
    private record Rr(DnsRecordType type, byte[] rdata) {
    }

    /** What a question gets: the code, the answer and the authority records (to be added or released). */
    record Reply(DnsResponseCode code, List<DnsRecord> answers, List<DnsRecord> authority) {
        /** Octets the records take on the wire: Netty's encoder writes names uncompressed. */
        int size() {
            int n = 0;
            for (DnsRecord r : answers) {
                n += wireSize(r);
            }
            for (DnsRecord r : authority) {
                n += wireSize(r);
            }
            return n;
        }

        void release() {
            answers.forEach(r -> ((DnsRawRecord) r).release());
            authority.forEach(r -> ((DnsRawRecord) r).release());
        }

        void addTo(DnsResponse r) {
            r.setCode(code);
            answers.forEach(rec -> r.addRecord(DnsSection.ANSWER, rec));
            authority.forEach(rec -> r.addRecord(DnsSection.AUTHORITY, rec));
        }

        private static int wireSize(DnsRecord r) {
            return r.name().length() + 1 + 10 + ((DnsRawRecord) r).content().readableBytes();
        }
    }

    void add(String name, DnsRecordType type, byte[] rdata) {
        records.computeIfAbsent(norm(name), n -> new CopyOnWriteArrayList<>()).add(new Rr(type, rdata));
        exists.add(norm(name));
    }

    void cname(String alias, String target) {
        cnames.put(norm(alias), norm(target));
        exists.add(norm(alias));
    }

    void ttl(String name, int seconds) {
        ttls.put(norm(name), seconds);
    }

    void soa(int ttl, int minimum) {
        soa = new int[]{ttl, minimum};
    }

    void servfail(String name) {
        servfail.add(norm(name));
    }

    void refused(String name) {
        refused.add(norm(name));
    }

    /** The reply to {@code question}, following CNAMEs as a recursive server would. */
    Reply reply(DnsQuestion question) {
        String n = norm(question.name());
        List<DnsRecord> answers = new ArrayList<>();
        if (servfail.contains(n)) {
            return new Reply(DnsResponseCode.SERVFAIL, answers, List.of());
        }
        if (refused.contains(n)) {
            return new Reply(DnsResponseCode.REFUSED, answers, List.of());
        }
        for (int hops = 0; cnames.containsKey(n) && question.type() != DnsRecordType.CNAME && hops < MAX_CNAME_HOPS;
             hops++) {
            String target = cnames.get(n);
            answers.add(new DefaultDnsRawRecord(n + ".", DnsRecordType.CNAME, ttl(n), name(target)));
            n = target;
        }
        if (!exists.contains(n)) {
            return new Reply(DnsResponseCode.NXDOMAIN, answers, negative(n));
        }
        int before = answers.size();
        for (Rr rr : records.getOrDefault(n, List.of())) {
            if (rr.type().equals(question.type())) {
                // Without CNAMEs, the question's own spelling, as servers echo the name asked.
                String owner = before == 0 ? question.name() : n + ".";
                answers.add(new DefaultDnsRawRecord(owner, rr.type(), ttl(n), Unpooled.wrappedBuffer(rr.rdata())));
            }
        }
        return new Reply(DnsResponseCode.NOERROR, answers, answers.size() == before ? negative(n) : List.of());
    }

    private long ttl(String name) {
        return ttls.getOrDefault(name, DEFAULT_TTL);
    }

    /** RFC 2308: an SOA in the authority section, its MINIMUM the negative TTL; none unless {@link #soa} was set. */
    private List<DnsRecord> negative(String name) {
        int[] s = soa;
        if (s == null) {
            return List.of();
        }
        ByteBuf rdata = name("ns.test").writeBytes(bytes(name("hostmaster.test")))
                .writeInt(1).writeInt(3600).writeInt(600).writeInt(86400).writeInt(s[1]);
        String zone = name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
        return List.of(new DefaultDnsRawRecord(zone + ".", DnsRecordType.SOA, s[0], rdata));
    }

    static String norm(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** A name in wire format, uncompressed; "" is the root. */
    static ByteBuf name(String host) {
        ByteBuf b = Unpooled.buffer();
        if (!host.isEmpty()) {
            for (String label : host.split("\\.")) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                b.writeByte(l.length).writeBytes(l);
            }
        }
        return b.writeByte(0);
    }

    /** The buffer's readable octets; the buffer is released. */
    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }
}
