package dev.mta.relay.transport.smtp;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The next hop took no more of the message content within the data block timeout (RFC 5321 4.5.3.2.5). */
public final class ContentTimeoutException extends TimeoutException {
    private final Duration timeout;

    public ContentTimeoutException(Duration timeout) {
        super("the next hop took no more of the message content within " + Seconds.text(timeout));
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
