package dev.mta.mailbox.maildir;

/**
 * A message that would take a mailbox past its quota: a temporary failure (4.2.2), the user may make room; or, when
 * the message alone is larger than the quota ({@link #neverFits()}), one that no room made can cure.
 */
public final class OverQuotaException extends Exception {
    private final long used;
    private final long quota;
    private final boolean neverFits;

    public OverQuotaException(String user, long used, long size, long quota) {
        super(size > quota
                ? "message of " + size + " bytes is larger than the quota of the mailbox of " + user + " (" + quota + ")"
                : "mailbox of " + user + " is full: " + used + " bytes used, quota " + quota + ", message " + size);
        this.used = used;
        this.quota = quota;
        this.neverFits = size > quota;
    }

    /** Whether the message is larger than the whole quota, so it would never fit. */
    public boolean neverFits() {
        return neverFits;
    }

    public long used() {
        return used;
    }

    public long quota() {
        return quota;
    }
}
