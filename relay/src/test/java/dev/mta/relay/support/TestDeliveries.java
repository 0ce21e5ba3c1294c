package dev.mta.relay.support;

import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.MessageContent;
import dev.mta.queue.model.Route;
import dev.mta.relay.transport.Delivery;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

/** Deliveries for tests from plain values: an envelope as the server parses it and the content as bytes. */
public final class TestDeliveries {
    private static int next;

    private TestDeliveries() {
    }

    /** Content held in memory. */
    public static MessageContent content(byte[] bytes) {
        return new MessageContent() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    /** A delivery of {@code body} from {@code sender} (with MAIL parameters {@code params}) to {@code rcpts}. */
    public static Delivery of(String sender, String params, byte[] body, String... rcpts) {
        Envelope e = TestEnvelopes.of(sender, params, List.of(rcpts));
        return new Delivery(nextId(), e.sender(), e.parameters(), Route.smtp(e.recipients().get(0).domainKey()),
                e.recipients(), content(body));
    }

    private static synchronized String nextId() {
        return String.format("TEST%012X", ++next);
    }
}
