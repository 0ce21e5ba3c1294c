package dev.mta.relay.transport.smtp;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The next hop did not answer a step of the conversation within that step's timeout (RFC 5321 4.5.3.2). */
public final class ReplyTimeoutException extends TimeoutException {
    private final String step;
    private final Duration timeout;

    public ReplyTimeoutException(String step, Duration timeout) {
        super("no reply to " + step + " within " + Seconds.text(timeout));
        this.step = step;
        this.timeout = timeout;
    }

    /** What was waiting for its reply: "greeting", "MAIL", "end of data", ... */
    public String step() {
        return step;
    }

    public Duration timeout() {
        return timeout;
    }
}
