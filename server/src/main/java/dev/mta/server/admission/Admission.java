package dev.mta.server.admission;

/** The answer to a new connection from a client: let in, or refused by one of the per-client limits. */
public enum Admission {
    /** Let in and counted: release it when the connection closes. */
    COUNTED,
    /** Let in without counting (an exception, or the table is full): nothing to release. */
    UNCOUNTED,
    /** Refused: the client has as many connections open as it may. */
    TOO_MANY_CONNECTIONS,
    /** Refused: the client has opened connections faster than it may. */
    TOO_FAST;

    public boolean admitted() {
        return this == COUNTED || this == UNCOUNTED;
    }
}
