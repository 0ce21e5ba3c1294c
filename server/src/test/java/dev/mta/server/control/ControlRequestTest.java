package dev.mta.server.control;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The control channel's request lines: what the tool sends reads back the same; bad lines are refused, saying why. */
class ControlRequestTest {
    @Test
    void requestsReadBackAsSent() {
        List<ControlRequest> all = List.of(ControlRequest.of(ControlRequest.Op.LIST, List.of()),
                ControlRequest.of(ControlRequest.Op.SHOW, List.of("1A2272D803E410C8")),
                ControlRequest.of(ControlRequest.Op.FLUSH, List.of()),
                ControlRequest.of(ControlRequest.Op.FLUSH, List.of("A", "B")),
                ControlRequest.of(ControlRequest.Op.DELETE, List.of("A", "B")),
                new ControlRequest(ControlRequest.Op.DELETE, List.of(), true),
                ControlRequest.of(ControlRequest.Op.HOLD, List.of("A")),
                ControlRequest.of(ControlRequest.Op.RELEASE, List.of("A")));
        for (ControlRequest r : all) {
            assertEquals(r, ControlRequest.parse(r.toLine()), r.toLine());
        }
        assertEquals("{\"op\":\"delete\",\"all\":true}", new ControlRequest(ControlRequest.Op.DELETE, List.of(), true).toLine());
        assertEquals("{\"op\":\"hold\",\"ids\":[\"A\"]}", ControlRequest.of(ControlRequest.Op.HOLD, List.of("A")).toLine());
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        assertEquals("unknown op: reboot", refusal("{\"op\":\"reboot\"}"));
        assertEquals("a request is a JSON object with an \"op\"", refusal("[1,2]"));
        assertEquals("a request is a JSON object with an \"op\"", refusal("{\"ids\":[\"A\"]}"));
        assertEquals("show takes one queue id", refusal("{\"op\":\"show\"}"));
        assertEquals("delete takes queue ids, or all", refusal("{\"op\":\"delete\"}"));
        assertEquals("delete takes queue ids, or all", refusal("{\"op\":\"delete\",\"ids\":[\"A\"],\"all\":true}"));
        assertEquals("hold takes queue ids", refusal("{\"op\":\"hold\",\"all\":true}"));
        assertEquals("ids are strings", refusal("{\"op\":\"release\",\"ids\":[1]}"));
        assertEquals(true, refusal("{\"op\":").startsWith("not a JSON request"));
    }

    private static String refusal(String line) {
        return assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse(line)).getMessage();
    }
}
