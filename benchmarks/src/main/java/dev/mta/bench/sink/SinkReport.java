package dev.mta.bench.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a sink saw in a run: counts, rate, and the exactly-once check, as text or JSON.
 *
 * @param elapsedSeconds from the start of the sink to the report
 * @param counts         the counts
 * @param exactlyOnce    the exactly-once check
 * @param seed           the seed of the fault decisions, to repeat the run
 */
public record SinkReport(double elapsedSeconds, SinkCounts counts, ExactlyOnce exactlyOnce, long seed) {
    /** Accepted messages per second over the run. */
    public double messagesPerSecond() {
        return elapsedSeconds > 0 ? counts.messages() / elapsedSeconds : 0;
    }

    /** One line of counts, for the periodic progress. */
    public String progressLine() {
        return String.format(Locale.ROOT, "sink %.0fs: connections %d (open %d), messages %d, recipients %d, %.1f msgs/s",
                elapsedSeconds, counts.connections(), counts.open(), counts.messages(), counts.recipients(),
                messagesPerSecond());
    }

    /** The final report, several lines. */
    public String text() {
        SinkCounts c = counts;
        ExactlyOnce x = exactlyOnce;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sink report after %.1f s (seed %d)%n", elapsedSeconds, seed));
        sb.append(String.format(Locale.ROOT, "  connections %d, dropped on purpose %d%n", c.connections(), c.dropped()));
        sb.append(String.format(Locale.ROOT, "  messages %d (%.1f/s), recipients %d, content bytes %d, without X-Bench-Id %d%n",
                c.messages(), messagesPerSecond(), c.recipients(), c.bytes(), c.withoutId()));
        sb.append(String.format(Locale.ROOT, "  refused on purpose: RCPT 4xx %d, RCPT 5xx %d, DATA 4xx %d, DATA 5xx %d%n",
                c.rcptTempFailed(), c.rcptPermFailed(), c.dataTempFailed(), c.dataPermFailed()));
        sb.append("  exactly once: ").append(x.ok() ? "OK" : "FAILED").append(", ");
        if (x.expected() >= 0) {
            sb.append("expected ").append(x.expected()).append(", ");
        }
        sb.append("distinct ids ").append(x.distinct());
        if (x.expected() >= 0) {
            sb.append(", missing ").append(x.missing()).append(sample(x.missingSample(), x.missing()));
            sb.append(", unexpected ").append(x.unexpected()).append(sample(x.unexpectedSample(), x.unexpected()));
        }
        sb.append(", duplicated ").append(x.duplicated()).append(sample(x.duplicatedSample(), x.duplicated()));
        return sb.append(System.lineSeparator()).toString();
    }

    /** The report as a JSON object. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("elapsed_seconds", elapsedSeconds);
        m.put("seed", seed);
        m.put("messages_per_second", messagesPerSecond());
        m.put("counts", counts);
        m.put("exactly_once_ok", exactlyOnce.ok());
        m.put("exactly_once", exactlyOnce);
        return m;
    }

    /** Writes {@link #json()} to {@code file}. */
    public void writeJson(Path file) throws IOException {
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json()) + "\n");
    }

    private static String sample(java.util.List<String> ids, long total) {
        if (ids.isEmpty()) {
            return "";
        }
        return " " + ids + (total > ids.size() ? " and " + (total - ids.size()) + " more" : "");
    }
}
