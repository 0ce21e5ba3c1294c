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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailParameters)) {
            return false;
        }
        MailParameters m = (MailParameters) o;
        return declaredSize == m.declaredSize && body == m.body && smtputf8 == m.smtputf8;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(declaredSize) * 31 + body.hashCode() * 2 + (smtputf8 ? 1 : 0);
    }

    /** The parameters as MAIL FROM writes them ("SIZE=100 BODY=8BITMIME SMTPUTF8"); 7BIT is the default, left out. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (declaredSize >= 0) {
            sb.append("SIZE=").append(declaredSize);
        }
        if (body != BodyType.SEVEN_BIT) {
            sb.append(sb.length() > 0 ? " " : "").append("BODY=").append(body.keyword());
        }
        if (smtputf8) {
            sb.append(sb.length() > 0 ? " " : "").append("SMTPUTF8");
        }
        return sb.toString();
    }
}
