package dev.mta.relay.dispatch;

import dev.mta.queue.events.MailEvent;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.AttemptClock;
import dev.mta.relay.transport.Delivery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an attempt's delay is split into Postfix's delays=a/b/c/d. */
class DispatcherDelaysTest {
    private static QueuedDelivery job(long arrival, long queued) {
        Delivery d = TestDeliveries.of("sender@example.com", "", "x\r\n".getBytes(StandardCharsets.US_ASCII),
                "rcpt@dest.test");
        return new QueuedDelivery(d, Collections.nCopies(1, null), false, arrival, null, queued);
    }

    @Test
    void withoutATransportTheRestIsAllInTheQueue() {
        MailEvent.Delays d = Dispatcher.delays(job(1_000, 1_300), 2_000, 2_500, System.nanoTime(), null);
        assertEquals(new MailEvent.Delays(300, 1_200, 0, 0), d);
    }

    @Test
    void receiptAndQueueComeFromTheQueueSetupAndTransmissionFromTheClock() {
        AttemptClock clock = AttemptClock.start();
        clock.connected();
        long end = System.nanoTime() + 2_000_000_000L; // as if the transaction took two seconds
        MailEvent.Delays d = Dispatcher.delays(job(1_000, 1_300), 2_000, 4_000, end, clock);
        assertEquals(300, d.receiptMillis());
        assertEquals(700, d.queueMillis());
        assertTrue(d.transmitMillis() >= 2_000 && d.transmitMillis() <= 2_000 + d.connectMillis() + 1_000, d.toString());
    }

    @Test
    void aMessageRecoveredAfterARestartHasNoKnownReceiptTime() {
        MailEvent.Delays d = Dispatcher.delays(new QueuedDelivery(job(1_000, 1_000).delivery(),
                Collections.nCopies(1, null), false, 1_000, null), 5_000, 5_000, System.nanoTime(), null);
        assertEquals(new MailEvent.Delays(0, 4_000, 0, 0), d);
    }
}
