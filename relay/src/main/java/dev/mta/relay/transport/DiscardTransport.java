package dev.mta.relay.transport;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts and drops: the route of addresses whose mail nobody reads, such as the sender of recipient-verification
 * probes (as Postfix's {@code discard} transport). Every recipient is delivered, with a text saying it was dropped.
 */
public final class DiscardTransport implements Transport {
    /** The transport name in routes: {@code discard:}. */
    public static final String NAME = "discard";
    /** The route that leads here. */
    public static final Route ROUTE = new Route(NAME, "");

    @Override
    public CompletableFuture<List<Outcome>> deliver(Delivery d) {
        Outcome o = Outcome.local(Outcome.Kind.DELIVERED, EnhancedStatus.of(2, 0, 0), "discarded", null);
        return CompletableFuture.completedFuture(Collections.nCopies(d.recipients().size(), o));
    }
}
