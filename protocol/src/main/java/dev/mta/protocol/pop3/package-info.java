/**
 * POP3 as data and pure functions (RFC 1939, RFC 2449, RFC 2595, RFC 3206, RFC 5034): the states and verbs, the
 * command grammar ({@link dev.mta.protocol.pop3.Pop3CommandParser}), replies with response codes, the CAPA list,
 * and the multi-line encoding of messages ({@link dev.mta.protocol.pop3.MultiLineBody}). The line framer is SMTP's
 * {@link dev.mta.protocol.codec.SmtpFrameDecoder} in command mode, with POP3's limit of 255 octets: strict CRLF
 * (a bare LF ends no line), an over-long line skipped to its end and reported, and the pause and discard that
 * STLS needs. No sockets, no disk.
 */
package dev.mta.protocol.pop3;
