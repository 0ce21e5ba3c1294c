package dev.mta.mailauth.spf;

/** Which identity an SPF check authorized (RFC 7208 2.3, 2.4), with the names headers give it. */
public enum SpfIdentity {
    MAILFROM("mailfrom"),
    HELO("helo");

    private final String name;

    SpfIdentity(String name) {
        this.name = name;
    }

    /** The Authentication-Results property (RFC 8601 2.7.2): "smtp.mailfrom" or "smtp.helo". */
    public String property() {
        return "smtp." + name;
    }

    /** The Received-SPF identity value (RFC 7208 9.1): "mailfrom" or "helo". */
    public String keyword() {
        return name;
    }
}
