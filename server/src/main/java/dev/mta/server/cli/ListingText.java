package dev.mta.server.cli;

import dev.mta.server.control.MessageView;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mta queue list} as text, in the shape of Postfix's mailq: a line per message with its id ({@code !} after
 * it when held), size, arrival and sender; then each recipient still to be delivered: those not tried yet, then the
 * others under the last problem their delivery met, in parentheses (recipients with the same problem share its
 * line); a blank line; and a total.
 */
final class ListingText {
    static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss", Locale.ROOT);
    private static final String HEADER = String.format("%-17s %8s %-20s  %s", "-Queue ID--------", "--Size--",
            "----Arrival Time----", "-Sender/Recipient-------");
    /** Where recipients start: under the sender. */
    private static final String INDENT = " ".repeat(17 + 1 + 8 + 1 + 20 + 2);

    private ListingText() {
    }

    static void print(List<MessageView> messages, ZoneId zone, PrintWriter out) {
        if (messages.isEmpty()) {
            out.println("Mail queue is empty");
            return;
        }
        out.println(HEADER);
        long bytes = 0;
        for (MessageView m : messages) {
            bytes += m.size();
            out.println(String.format("%-17s %8d %-20s  %s", m.id() + (m.held() ? "!" : ""), m.size(),
                    ARRIVAL.format(m.arrival().atZone(zone)), sender(m.sender())));
            // Recipients not tried yet first, so that none is read as under another's problem; then by problem.
            Map<String, List<String>> byProblem = new LinkedHashMap<>();
            for (MessageView.Recipient r : m.recipients()) {
                byProblem.computeIfAbsent(r.lastError() == null ? "" : r.lastError(), k -> new ArrayList<>())
                        .add(r.address());
            }
            List<String> untried = byProblem.remove("");
            if (untried != null) {
                untried.forEach(a -> out.println(INDENT + a));
            }
            for (Map.Entry<String, List<String>> e : byProblem.entrySet()) {
                out.println("(" + e.getKey() + ")");
                e.getValue().forEach(a -> out.println(INDENT + a));
            }
            out.println();
        }
        out.println("-- " + (bytes + 1023) / 1024 + " Kbytes in " + messages.size()
                + (messages.size() == 1 ? " Request." : " Requests."));
    }

    /** The null sender as Postfix's mailq writes it. */
    static String sender(String address) {
        return address.isEmpty() ? "MAILER-DAEMON" : address;
    }
}
