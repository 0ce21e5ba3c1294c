package dev.mta.protocol.command;

/** The meaning of the MAIL parameters this server supports: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531). */
public final class MailParameters {
    /** MAIL FROM without parameters. */
    public static final MailParameters DEFAULT = new MailParameters(-1, BodyType.SEVEN_BIT, false);

    private final long declaredSize;
    private final BodyType body;
    private final boolean smtputf8;

    public MailParameters(long declaredSize, BodyType body, boolean smtputf8) {
        this.declaredSize = declaredSize;
        this.body = body;
        this.smtputf8 = smtputf8;
    }

    /** The SIZE the client declared, or -1. */
    public long declaredSize() {
        return declaredSize;
    }

    public BodyType body() {
        return body;
    }

    public boolean smtputf8() {
        return smtputf8;
    }
}
