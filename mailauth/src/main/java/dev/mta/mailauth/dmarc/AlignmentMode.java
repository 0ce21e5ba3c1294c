package dev.mta.mailauth.dmarc;

/** How closely an authenticated identifier must match the author domain (RFC 9989 3.2.10, tags adkim and aspf). */
public enum AlignmentMode {
    /** The same organizational domain (the default). */
    RELAXED,
    /** The identical domain. */
    STRICT
}
