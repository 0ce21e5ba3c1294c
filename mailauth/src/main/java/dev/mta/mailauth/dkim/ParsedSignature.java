package dev.mta.mailauth.dkim;

/** What {@link SignatureParser} made of one DKIM-Signature field: a usable signature, or a malformed one. */
sealed interface ParsedSignature permits DkimSignature, MalformedSignature {
    /** d= as written, or "" (for Authentication-Results header.d). */
    String domain();

    /** s= as written, or "". */
    String selector();

    /** a= as written, or "". */
    String algorithmTag();

    /** The first 8 characters of b=, FWS removed, or "" (RFC 6008 header.b). */
    String headerB();

    /** i= as written, or "" (a malformed signature's) or "@" + d= (its default). */
    String identity();
}
