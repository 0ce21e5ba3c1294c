package dev.mta.mailauth.dkim;

/** A DKIM-Signature that cannot be processed (neutral, RFC 8601 2.7.1), with what could be read of it. */
record MalformedSignature(String reason, String domain, String selector, String algorithmTag, String headerB,
                          String identity) implements ParsedSignature {
}
