package dev.mta.protocol.pop3;

import java.util.ArrayList;
import java.util.List;

/**
 * The CAPA list (RFC 2449 5, 6) as data: what the server always offers, and what depends on the connection:
 * USER and SASL only where a login may happen now (after TLS, from loopback, or with plaintext logins allowed),
 * STLS only while TLS is possible and not yet active (RFC 2595 4), and no login capability once logged in.
 *
 * @param loginAllowed   USER/PASS and AUTH may be used on this connection now
 * @param tlsOffered     STLS may be used now (TLS configured, not active, in AUTHORIZATION)
 * @param implementation the text of IMPLEMENTATION, or null for none
 */
public record Capabilities(boolean loginAllowed, boolean tlsOffered, String implementation) {
    /** The SASL mechanisms, as RFC 5034 AUTH with no argument lists them. */
    public static final List<String> SASL_MECHANISMS = List.of("PLAIN");

    /** The capability lines, in the order sent. */
    public List<String> lines(Pop3State state) {
        List<String> l = new ArrayList<>(10);
        l.add("TOP");
        if (state == Pop3State.AUTHORIZATION && loginAllowed) {
            l.add("USER");
            l.add("SASL " + String.join(" ", SASL_MECHANISMS));
        }
        if (state == Pop3State.AUTHORIZATION && tlsOffered) {
            l.add("STLS");
        }
        l.add("UIDL");
        l.add("RESP-CODES");
        l.add("AUTH-RESP-CODE");
        l.add("PIPELINING");
        if (implementation != null) {
            l.add("IMPLEMENTATION " + implementation);
        }
        return l;
    }

    /** The multi-line reply to CAPA. */
    public Pop3Reply reply(Pop3State state) {
        return Pop3Reply.multiLine("Capability list follows", lines(state));
    }
}
