package dev.mta.mailauth.spf;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.MxHost;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The {@code zonedata} of one rfc7208-tests.yml document as a {@link DnsLookup}, read the way the suite's own driver
 * (pyspf's testspf.py) reads it: a name with no TXT record has its SPF-type records served as TXT (the suite's header:
 * "other sections rely on auto-magic duplication of SPF to TXT records"), "TXT: NONE" only says there is no TXT,
 * TIMEOUT before any record of the asked type is a TEMPFAIL, and CNAMEs are followed.
 */
final class SuiteZone implements DnsLookup {
    private static final int MAX_CNAMES = 8;

    /** One record of the zone; TIMEOUT has no value. */
    private record Entry(String type, Object value) {
    }

    private final Map<String, List<Entry>> names = new HashMap<>();

    SuiteZone(Map<String, Object> zonedata) {
        zonedata.forEach((name, records) -> names.put(norm(name), entries((List<?>) records)));
    }

    private static List<Entry> entries(List<?> records) {
        List<Entry> out = new ArrayList<>();
        List<Entry> spf = new ArrayList<>();
        boolean hasTxt = false;
        for (Object r : records) {
            if (r instanceof Map<?, ?> m) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                String type = String.valueOf(e.getKey());
                Object value = e.getValue();
                if (type.equals("TXT")) {
                    hasTxt = true;
                    if ("NONE".equals(value)) {
                        continue;
                    }
                } else if (type.equals("SPF")) {
                    spf.add(new Entry("TXT", value));
                }
                out.add(new Entry(type, value));
            } else {
                out.add(new Entry(String.valueOf(r), null));
            }
        }
        if (!hasTxt) {
            out.addAll(spf);
        }
        return out;
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        return answer(name, "TXT", SuiteZone::text);
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        return answer(name, "A", v -> IpAddresses.parse(String.valueOf(v)));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return answer(name, "AAAA", v -> IpAddresses.parse(String.valueOf(v)));
    }

    @Override
    public CompletionStage<DnsResult<MxHost>> mx(String name) {
        return answer(name, "MX", v -> {
            List<?> mx = (List<?>) v;
            return new MxHost(Integer.parseInt(String.valueOf(mx.get(0))), norm(String.valueOf(mx.get(1))));
        });
    }

    @Override
    public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
        return answer(reverse(address), "PTR", v -> norm(String.valueOf(v)));
    }

    private <T> CompletionStage<DnsResult<T>> answer(String name, String type, Function<Object, T> convert) {
        return CompletableFuture.completedFuture(lookup(norm(name), type, convert, 0));
    }

    private <T> DnsResult<T> lookup(String name, String type, Function<Object, T> convert, int cnames) {
        List<Entry> entries = names.get(name);
        if (entries == null) {
            return DnsResult.nxdomain();
        }
        List<T> found = new ArrayList<>();
        String cname = null;
        for (Entry e : entries) {
            if (e.type().equals("TIMEOUT")) {
                if (found.isEmpty()) {
                    return DnsResult.tempfail();
                }
                break;
            }
            if (e.type().equals(type)) {
                if ("TIMEOUT".equals(e.value())) {
                    return DnsResult.tempfail();
                }
                found.add(convert.apply(e.value()));
            } else if (e.type().equals("CNAME")) {
                cname = norm(String.valueOf(e.value()));
            }
        }
        if (found.isEmpty() && cname != null) {
            return cnames >= MAX_CNAMES ? DnsResult.tempfail() : lookup(cname, type, convert, cnames + 1);
        }
        return DnsResult.found(found);
    }

    /** A TXT record: one string, or its character-strings joined with nothing between them. */
    private static String text(Object value) {
        if (value instanceof List<?> parts) {
            StringBuilder sb = new StringBuilder();
            parts.forEach(sb::append);
            return sb.toString();
        }
        return String.valueOf(value);
    }

    private static String reverse(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                    .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    private static String norm(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
