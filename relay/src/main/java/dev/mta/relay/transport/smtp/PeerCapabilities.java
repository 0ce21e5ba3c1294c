package dev.mta.relay.transport.smtp;

import java.util.List;
import java.util.Locale;

/**
 * What the next hop said about itself: its greeting name and the ESMTP extensions in its EHLO reply ({@code auth}:
 * the SASL mechanisms of its AUTH line, upper case).
 */
public record PeerCapabilities(String greetingName, boolean esmtp, boolean pipelining, long maxSize,
                               boolean eightBitMime, boolean smtpUtf8, boolean startTls, boolean tls, java.util.Set<String> auth) {

    /** The same, on a connection now encrypted with STARTTLS. */
    public PeerCapabilities encrypted() {
        return new PeerCapabilities(greetingName, esmtp, pipelining, maxSize, eightBitMime, smtpUtf8, false, true, auth);
    }

    /** From the 220 greeting's first word and the EHLO reply lines (null lines: the peer only knows HELO). */
    public static PeerCapabilities parse(String greetingName, List<CharSequence> ehloLines) {
        if (ehloLines == null) {
            return new PeerCapabilities(greetingName, false, false, 0, false, false, false, false, java.util.Set.of());
        }
        boolean pipelining = false;
        boolean eightBit = false;
        boolean utf8 = false;
        boolean tls = false;
        long size = 0;
        java.util.Set<String> auth = new java.util.LinkedHashSet<>();
        for (int i = 1; i < ehloLines.size(); i++) {
            String line = ehloLines.get(i).toString().strip().toUpperCase(Locale.ROOT);
            String keyword = line.split(" ", 2)[0];
            switch (keyword) {
                case "PIPELINING": pipelining = true; break;
                case "8BITMIME": eightBit = true; break;
                case "SMTPUTF8": utf8 = true; break;
                case "STARTTLS": tls = true; break;
                case "AUTH":
                    String[] mechanisms = line.split("\\s+");
                    auth.addAll(java.util.Arrays.asList(mechanisms).subList(1, mechanisms.length));
                    break;
                case "SIZE":
                    String[] parts = line.split(" ");
                    if (parts.length > 1) {
                        try {
                            size = Long.parseLong(parts[1]);
                        } catch (NumberFormatException ignored) {
                            size = 0;
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return new PeerCapabilities(greetingName, true, pipelining, size, eightBit, utf8, tls, false,
                java.util.Set.copyOf(auth));
    }
}
