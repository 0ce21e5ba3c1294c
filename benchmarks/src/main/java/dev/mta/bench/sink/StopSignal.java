package dev.mta.bench.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** SIGTERM and SIGINT ask the sink command to stop and report; the handlers before it come back on uninstall. */
@SuppressWarnings("restriction")
final class StopSignal {
    private final CountDownLatch asked = new CountDownLatch(1);
    private final Map<String, sun.misc.SignalHandler> previous = new HashMap<>();

    private StopSignal() {
    }

    static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                s.previous.put(name, sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> s.asked.countDown()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs or no such signal: the sink still stops on --duration or --exit-after
            }
        }
        return s;
    }

    /** Waits up to {@code time}; true once a stop was asked for. */
    boolean await(long time, TimeUnit unit) throws InterruptedException {
        return asked.await(time, unit);
    }

    void uninstall() {
        previous.forEach((name, handler) -> sun.misc.Signal.handle(new sun.misc.Signal(name), handler));
    }
}
