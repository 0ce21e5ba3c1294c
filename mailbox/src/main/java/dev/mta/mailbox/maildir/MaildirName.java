package dev.mta.mailbox.maildir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of one message file in a Maildir, as Dovecot writes it: {@code BASE,S=SIZE,W=VSIZE[:2,FLAGS]}. The base
 * is unique (seconds, microseconds, process, a counter, the host); {@code S} is the file's size (LF line ends, as
 * Maildir readers expect), {@code W} its size with CRLF line ends (what POP3 STAT and LIST count, RFC 1939), so
 * neither needs the file read. The part after {@code :} holds flags and changes when a reader (mutt, an IMAP
 * server) moves the file from {@code new/} to {@code cur/}; the base does not, so it is the message's identity.
 *
 * @param base        the unique part, without {@code ,S=} and the rest
 * @param size        the file's size in octets, or -1 when the name does not say
 * @param virtualSize the size with CRLF line ends, or -1 when the name does not say
 * @param info        what follows {@code :} (e.g. {@code 2,S}), or "" for none
 */
public record MaildirName(String base, long size, long virtualSize, String info) {
    /** The longest unique-id listing RFC 1939 allows (1 to 70 characters 0x21 to 0x7E). */
    static final int MAX_UID_LENGTH = 70;

    /** Reads a file name: any name is a message, the sizes and info when present (others' names are kept whole as the base). */
    public static MaildirName parse(String fileName) {
        String name = fileName;
        String info = "";
        int colon = name.indexOf(':');
        if (colon >= 0) {
            info = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        long size = -1;
        long vsize = -1;
        String[] parts = name.split(",", -1);
        StringBuilder base = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("S=") && isNumber(p, 2)) {
                size = Long.parseLong(p.substring(2));
            } else if (p.startsWith("W=") && isNumber(p, 2)) {
                vsize = Long.parseLong(p.substring(2));
            } else {
                base.append(',').append(p);
            }
        }
        return new MaildirName(base.toString(), size, vsize, info);
    }

    private static boolean isNumber(String s, int from) {
        if (s.length() == from || s.length() - from > 18) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The file name in {@code new/}: base and sizes, no info. */
    public String newName() {
        return base + ",S=" + size + ",W=" + virtualSize;
    }

    /**
     * The message's POP3 unique id (UIDL): the base, which stays when the file moves from {@code new/} to
     * {@code cur/} or its flags change; a base longer than 70 characters or holding characters outside 0x21-0x7E
     * is replaced by a SHA-256 digest of it, in hex, cut to 40.
     */
    public String uid() {
        if (base.length() <= MAX_UID_LENGTH && base.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            return base;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(base.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
