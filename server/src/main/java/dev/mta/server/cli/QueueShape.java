package dev.mta.server.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mta.server.control.MessageView;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mta queue summary}, as Postfix's qshape: recipients still to be delivered by destination (the recipient's
 * domain) and by the age of their message, in buckets of up to 5, 10, 20, 40, 80, 160, 320, 640, 1280 minutes and
 * more; a TOTAL row first, then the destinations with the most recipients first. Held messages count too.
 */
final class QueueShape {
    /** Upper bounds of the buckets in minutes; a last bucket holds everything older. */
    static final int[] BUCKETS = {5, 10, 20, 40, 80, 160, 320, 640, 1280};
    static final String TOTAL = "TOTAL";

    /** One row: a destination, its recipients in all, and in each bucket. */
    record Row(String destination, int total, int[] counts) {
    }

    private final List<Row> rows;

    private QueueShape(List<Row> rows) {
        this.rows = rows;
    }

    static QueueShape of(List<MessageView> messages, Instant now) {
        Map<String, int[]> byDomain = new LinkedHashMap<>();
        int[] total = new int[BUCKETS.length + 1];
        for (MessageView m : messages) {
            int bucket = bucket(Duration.between(m.arrival(), now));
            for (MessageView.Recipient r : m.recipients()) {
                byDomain.computeIfAbsent(r.domain(), d -> new int[BUCKETS.length + 1])[bucket]++;
                total[bucket]++;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, int[]> e : byDomain.entrySet()) {
            rows.add(new Row(e.getKey().isEmpty() ? "(no domain)" : e.getKey(), sum(e.getValue()), e.getValue()));
        }
        rows.sort(Comparator.comparingInt(Row::total).reversed().thenComparing(Row::destination));
        rows.add(0, new Row(TOTAL, sum(total), total));
        return new QueueShape(rows);
    }

    /** The bucket of a message this old: the first whose bound it does not pass. */
    static int bucket(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i] * 60L) {
                return i;
            }
        }
        return BUCKETS.length;
    }

    private static int sum(int[] counts) {
        int s = 0;
        for (int c : counts) {
            s += c;
        }
        return s;
    }

    List<Row> rows() {
        return rows;
    }

    void printText(PrintWriter out) {
        int width = TOTAL.length();
        for (Row r : rows) {
            width = Math.max(width, r.destination().length());
        }
        StringBuilder head = new StringBuilder(String.format("%" + width + "s %6s", "", "T"));
        for (int b : BUCKETS) {
            head.append(String.format(" %5d", b));
        }
        out.println(head.append(String.format(" %5s", BUCKETS[BUCKETS.length - 1] + "+")));
        for (Row r : rows) {
            StringBuilder line = new StringBuilder(String.format("%" + width + "s %6d", r.destination(), r.total()));
            for (int c : r.counts()) {
                line.append(String.format(" %5d", c));
            }
            out.println(line);
        }
    }

    /**
     * {@code {"buckets": [5, ..., 1280], "destinations": [{"destination", "total", "counts": [one per bucket, then
     * the older ones]}]}}, TOTAL first.
     */
    void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("buckets");
        for (int b : BUCKETS) {
            g.writeNumber(b);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("destinations");
        for (Row r : rows) {
            g.writeStartObject();
            g.writeStringField("destination", r.destination());
            g.writeNumberField("total", r.total());
            g.writeArrayFieldStart("counts");
            for (int c : r.counts()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
