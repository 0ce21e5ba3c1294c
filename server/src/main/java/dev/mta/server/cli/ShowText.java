package dev.mta.server.cli;

import dev.mta.server.control.MessageView;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mta queue show ID} as text: the message's envelope as received, and every recipient's standing: still to
 * be delivered (attempts, the next one, the last problem) or done (delivered, or failed and bounced).
 */
final class ShowText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx", Locale.ROOT);

    private ShowText() {
    }

    static void print(MessageView m, Instant now, ZoneId zone, PrintWriter out) {
        out.println("Queue ID:    " + m.id() + (m.held() ? " (held: not delivered until released)" : ""));
        out.println("Arrival:     " + WHEN.format(m.arrival().atZone(zone)) + " (" + age(m.arrival(), now) + " ago)");
        out.println("Size:        " + m.size() + " bytes");
        out.println("Sender:      " + ListingText.sender(m.sender()));
        MessageView.Details d = m.details();
        if (d != null) {
            out.println("Parameters:  " + (d.parameters().isEmpty() ? "none" : d.parameters()));
            out.println("Client:      " + d.client() + ", HELO " + d.helo() + ", with " + d.protocol());
        }
        out.println("Recipients:");
        Map<String, MessageView.Recipient> pending = new LinkedHashMap<>();
        for (MessageView.Recipient r : m.recipients()) {
            pending.put(r.address(), r);
        }
        Iterable<String> all = d != null ? d.recipients() : pending.keySet();
        for (String address : all) {
            MessageView.Recipient r = pending.remove(address);
            if (r == null) {
                out.println("  " + address + ": done (delivered, or failed and bounced)");
            } else if (r.attempts() == 0) {
                out.println("  " + address + ": pending, not tried yet");
            } else {
                out.println("  " + address + ": deferred, " + r.attempts() + (r.attempts() == 1 ? " attempt" : " attempts")
                        + (r.nextAttempt() == null ? "" : ", next " + WHEN.format(r.nextAttempt().atZone(zone))));
                if (r.lastError() != null) {
                    out.println("    last: " + r.lastError());
                }
            }
        }
    }

    /** A duration as an operator reads it: 45s, 12m, 3h 5m, 2d 4h. */
    static String age(Instant from, Instant now) {
        Duration d = Duration.between(from, now);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toMinutes() < 1) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + "m";
        }
        if (d.toDays() < 1) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return d.toDays() + "d " + d.toHoursPart() + "h";
    }
}
