package dev.mta.mailauth.dns;

/** One MX record: its preference and the exchange's host name (no trailing dot; "" for a null MX, RFC 7505). */
public record MxHost(int preference, String host) {
}
