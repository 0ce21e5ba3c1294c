package dev.mta.relay.transport.smtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outbound TLS policy and smarthost credentials, keyed as the transport map is: a destination domain, "*" for
 * every domain, or a next hop "[host]:port" (the host as the transport map or MX names it). A hop's entry wins over
 * its domain's, which wins over "*"; without any, {@code may}.
 *
 * <p>The policy is written "example.com=verify,[smarthost.example]:587=encrypt,*=may". The credentials file has one
 * route a line, "key user password" ('#' starts a comment line); the password is the rest of the line after the user,
 * so it may hold spaces. A route with credentials must have the policy encrypt or verify under its own key or "*":
 * anything else is refused as bad configuration, so credentials never go out in clear.
 */
public final class OutboundSecurity {
    private static final Logger log = LoggerFactory.getLogger(OutboundSecurity.class);

    /** {@code may} everywhere, no credentials. */
    public static final OutboundSecurity DEFAULT = new OutboundSecurity(Map.of(), Map.of());

    private final Map<String, TlsLevel> levels;
    private final Map<String, Credentials> credentials;

    private OutboundSecurity(Map<String, TlsLevel> levels, Map<String, Credentials> credentials) {
        this.levels = levels;
        this.credentials = credentials;
        for (String key : credentials.keySet()) {
            TlsLevel l = level(key);
            if (!l.required()) {
                throw new IllegalArgumentException("relay-auth: the route " + key + " has credentials but TLS policy "
                        + l + "; it needs encrypt or verify (relay-tls-policy " + key + "=encrypt), so they are never sent in clear");
            }
        }
    }

    /** The policy map and the credentials file (null: none); IllegalArgumentException naming the key when bad. */
    public static OutboundSecurity of(String policy, Path credentialsFile) {
        return new OutboundSecurity(parsePolicy(policy), credentialsFile == null ? Map.of() : readCredentials(credentialsFile));
    }

    static Map<String, TlsLevel> parsePolicy(String text) {
        Map<String, TlsLevel> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.strip().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("relay-tls-policy entry needs key=none|may|encrypt|verify: " + entry.strip());
            }
            try {
                map.put(key(kv[0]), TlsLevel.parse(kv[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("relay-tls-policy " + kv[0].strip() + ": " + e.getMessage());
            }
        }
        return map;
    }

    static Map<String, Credentials> readCredentials(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("relay-auth: cannot read " + file + ": " + e.getMessage());
        }
        warnIfReadableByOthers(file);
        Map<String, Credentials> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            if (parts.length != 3) {
                // The line itself is not shown: it may hold a password.
                throw new IllegalArgumentException("relay-auth: " + file + " line " + (i + 1) + " needs: key user password");
            }
            map.put(key(parts[0]), new Credentials(parts[1], parts[2]));
        }
        return map;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("relay-auth: {} holds passwords and is readable by its group or everyone; chmod 600 it", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // No POSIX permissions here: nothing to say.
        }
    }

    private static String key(String k) {
        return k.strip().toLowerCase(Locale.ROOT);
    }

    /** The key of a next hop: "[host]:port". */
    static String hopKey(String host, int port) {
        return "[" + host.toLowerCase(Locale.ROOT) + "]:" + port;
    }

    /** The level for a key: its own entry, else "*", else may. */
    private TlsLevel level(String key) {
        TlsLevel l = levels.get(key);
        if (l == null) {
            l = levels.get("*");
        }
        return l != null ? l : TlsLevel.MAY;
    }

    /** What a connection to {@code host}:{@code port} for mail to {@code domain} must do. */
    public HopSecurity forHop(String domain, String host, int port) {
        String hop = hopKey(host, port);
        String d = domain.toLowerCase(Locale.ROOT);
        TlsLevel l = levels.get(hop);
        if (l == null) {
            l = level(d);
        }
        Credentials c = credentials.get(hop);
        if (c == null) {
            c = credentials.get(d);
        }
        if (c == null) {
            c = credentials.get("*");
        }
        if (c != null && !l.required()) {
            // Validated at start for the credentials' own key; a more specific may/none entry must not leak them.
            l = TlsLevel.ENCRYPT;
        }
        return new HopSecurity(l, c);
    }

    /** Whether a TLS level other than may or any credentials are configured. */
    public boolean isDefault() {
        return credentials.isEmpty() && levels.values().stream().allMatch(l -> l == TlsLevel.MAY);
    }
}
