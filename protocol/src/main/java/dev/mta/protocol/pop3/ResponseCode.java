package dev.mta.protocol.pop3;

/**
 * The extended response codes this server sends in brackets after {@code -ERR} (RFC 2449 8, RFC 3206), so a client
 * can tell a busy maildrop or a server problem from bad credentials without reading the text.
 */
public enum ResponseCode {
    /** The maildrop is locked by another session (RFC 2449 8.1.1). */
    IN_USE("IN-USE"),
    /** The user may not log in again yet (RFC 2449 8.1.2). */
    LOGIN_DELAY("LOGIN-DELAY"),
    /** A transient problem on our side: trying later may succeed (RFC 3206 4). */
    SYS_TEMP("SYS/TEMP"),
    /** A lasting problem on our side that the client cannot fix (RFC 3206 4). */
    SYS_PERM("SYS/PERM"),
    /** The credentials are the problem, or how they were sent (RFC 3206 5). */
    AUTH("AUTH");

    private final String wire;

    ResponseCode(String wire) {
        this.wire = wire;
    }

    /** The code as it appears between the brackets. */
    public String wire() {
        return wire;
    }
}
