package dev.mta.mailbox.maildir;

/** A message that would take a mailbox past its quota: a temporary failure (4.2.2), the user may make room. */
public final class OverQuotaException extends Exception {
    private final long used;
    private final long quota;

    public OverQuotaException(String user, long used, long size, long quota) {
        super("mailbox of " + user + " is full: " + used + " bytes used, quota " + quota + ", message " + size);
        this.used = used;
        this.quota = quota;
    }

    public long used() {
        return used;
    }

    public long quota() {
        return quota;
    }
}
