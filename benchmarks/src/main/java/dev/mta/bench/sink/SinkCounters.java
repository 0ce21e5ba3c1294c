package dev.mta.bench.sink;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The sink's live counters, bumped from every event loop; {@link #snapshot()} reads them. */
final class SinkCounters {
    final LongAdder connections = new LongAdder();
    final LongAdder open = new LongAdder();
    final LongAdder dropped = new LongAdder();
    /** Exact and ordered: the stall starts at a given message. */
    final AtomicLong messages = new AtomicLong();
    final LongAdder recipients = new LongAdder();
    final LongAdder rcptTempFailed = new LongAdder();
    final LongAdder rcptPermFailed = new LongAdder();
    final LongAdder dataTempFailed = new LongAdder();
    final LongAdder dataPermFailed = new LongAdder();
    final LongAdder withoutId = new LongAdder();
    final LongAdder bytes = new LongAdder();

    SinkCounts snapshot() {
        return new SinkCounts(connections.sum(), open.sum(), dropped.sum(), messages.get(), recipients.sum(),
                rcptTempFailed.sum(), rcptPermFailed.sum(), dataTempFailed.sum(), dataPermFailed.sum(),
                withoutId.sum(), bytes.sum());
    }
}
