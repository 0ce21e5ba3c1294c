package dev.mta.server.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request on the control channel, sent as one line of JSON: {@code {"op": "list"}}, {@code {"op": "show",
 * "ids": ["ID"]}}, {@code {"op": "flush"}} (everything) or with {@code "ids"}, {@code {"op": "delete", "ids": [...]}}
 * or {@code {"op": "delete", "all": true}}, {@code {"op": "hold"|"release", "ids": [...]}}.
 *
 * @param op  what to do
 * @param ids the messages it applies to (empty: every message, for flush)
 * @param all delete only: every message queued
 */
public record ControlRequest(Op op, List<String> ids, boolean all) {
    /** The operations, each a {@link dev.mta.queue.admin.QueueAdmin} call. */
    public enum Op { LIST, SHOW, FLUSH, DELETE, HOLD, RELEASE }

    private static final ObjectMapper JSON = new ObjectMapper();

    public ControlRequest {
        ids = List.copyOf(ids);
        if (op == Op.SHOW && ids.size() != 1) {
            throw new IllegalArgumentException("show takes one queue id");
        }
        if ((op == Op.DELETE || op == Op.HOLD || op == Op.RELEASE) && ids.isEmpty() != (op == Op.DELETE && all)) {
            throw new IllegalArgumentException(op.name().toLowerCase(Locale.ROOT) + " takes queue ids"
                    + (op == Op.DELETE ? ", or all" : ""));
        }
    }

    public static ControlRequest of(Op op, List<String> ids) {
        return new ControlRequest(op, ids, false);
    }

    /** The request as the line the client sends (without its newline). */
    public String toLine() {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", op.name().toLowerCase(Locale.ROOT));
        if (!ids.isEmpty()) {
            ArrayNode a = n.putArray("ids");
            ids.forEach(a::add);
        }
        if (all) {
            n.put("all", true);
        }
        return n.toString();
    }

    /** Reads a request line; IllegalArgumentException saying what is wrong with it. */
    public static ControlRequest parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON request: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject() || !n.path("op").isTextual()) {
            throw new IllegalArgumentException("a request is a JSON object with an \"op\"");
        }
        Op op;
        try {
            op = Op.valueOf(n.get("op").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown op: " + n.get("op").asText());
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : n.path("ids")) {
            if (!id.isTextual()) {
                throw new IllegalArgumentException("ids are strings");
            }
            ids.add(id.asText());
        }
        return new ControlRequest(op, ids, n.path("all").asBoolean(false));
    }
}
