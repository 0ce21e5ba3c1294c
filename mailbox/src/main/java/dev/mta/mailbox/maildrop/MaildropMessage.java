package dev.mta.mailbox.maildrop;

/**
 * One message of a {@link Maildrop} snapshot: its number in this session (from 1), its unique id (the UIDL, stable
 * across sessions and moves), its size as POP3 counts it (CRLF line ends), and the file name's unique base, by which
 * the file is found again after another reader moved it or changed its flags.
 */
public record MaildropMessage(int number, String base, String uid, long size) {
}
