package dev.mta.protocol.pop3;

/**
 * The states of a POP3 session (RFC 1939 3): a client proves who it is in AUTHORIZATION, works on its maildrop in
 * TRANSACTION, and QUIT from TRANSACTION enters UPDATE, where messages marked deleted are removed.
 */
public enum Pop3State {
    AUTHORIZATION, TRANSACTION, UPDATE
}
