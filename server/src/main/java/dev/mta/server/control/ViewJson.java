package dev.mta.server.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MessageView} as JSON, one schema for the control channel's replies and the tool's {@code --json} output:
 * {@code {"id", "arrival" (ISO-8601), "size", "sender", "held", "recipients": [{"address", "attempts",
 * "nextAttempt" (ISO-8601 or null), "lastError" (or null)}], "details" (show only): {"parameters", "client",
 * "helo", "protocol", "recipients": [addresses as received]}}}.
 */
public final class ViewJson {
    private ViewJson() {
    }

    /** Writes one message as a JSON object. */
    public static void write(JsonGenerator g, MessageView m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("arrival", m.arrival().toString());
        g.writeNumberField("size", m.size());
        g.writeStringField("sender", m.sender());
        g.writeBooleanField("held", m.held());
        g.writeArrayFieldStart("recipients");
        for (MessageView.Recipient r : m.recipients()) {
            g.writeStartObject();
            g.writeStringField("address", r.address());
            g.writeNumberField("attempts", r.attempts());
            g.writeStringField("nextAttempt", r.nextAttempt() == null ? null : r.nextAttempt().toString());
            g.writeStringField("lastError", r.lastError());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (m.details() != null) {
            MessageView.Details d = m.details();
            g.writeObjectFieldStart("details");
            g.writeStringField("parameters", d.parameters());
            g.writeStringField("client", d.client());
            g.writeStringField("helo", d.helo());
            g.writeStringField("protocol", d.protocol());
            g.writeArrayFieldStart("recipients");
            for (String r : d.recipients()) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Reads one message written by {@link #write}; IllegalArgumentException when a field is missing. */
    public static MessageView read(JsonNode n) {
        List<MessageView.Recipient> rs = new ArrayList<>();
        for (JsonNode r : field(n, "recipients")) {
            rs.add(new MessageView.Recipient(text(r, "address"), field(r, "attempts").asInt(),
                    instantOrNull(r.get("nextAttempt")), textOrNull(r.get("lastError"))));
        }
        MessageView.Details details = null;
        JsonNode d = n.get("details");
        if (d != null && !d.isNull()) {
            List<String> all = new ArrayList<>();
            for (JsonNode r : field(d, "recipients")) {
                all.add(r.asText());
            }
            details = new MessageView.Details(text(d, "parameters"), text(d, "client"), text(d, "helo"),
                    text(d, "protocol"), all);
        }
        return new MessageView(text(n, "id"), Instant.parse(text(n, "arrival")), field(n, "size").asLong(),
                text(n, "sender"), field(n, "held").asBoolean(), rs, details);
    }

    static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("no \"" + name + "\" in " + n);
        }
        return v;
    }

    private static String text(JsonNode n, String name) {
        return field(n, name).asText();
    }

    private static String textOrNull(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instantOrNull(JsonNode v) {
        return v == null || v.isNull() ? null : Instant.parse(v.asText());
    }
}
