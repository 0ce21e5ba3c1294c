package dev.mta.server.support;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Envelope;

import java.util.List;
import java.util.stream.Collectors;

/** A queued message read back whole, for assertions: its envelope as received and its body. */
public record SpooledMessage(String id, Text envelope, byte[] body) {
    /** The envelope as a client would have written it: addresses and the MAIL parameters as text. */
    public record Text(String reversePath, String mailParameters, List<String> recipients, String clientAddress,
                       String heloName, String protocol) {
        static Text of(Envelope e) {
            return new Text(e.sender().address(), e.parameters().toString(),
                    e.recipients().stream().map(MailPath::address).collect(Collectors.toList()), e.clientAddress(),
                    e.heloName(), e.protocol());
        }
    }

    static SpooledMessage of(String id, Envelope e, byte[] body) {
        return new SpooledMessage(id, Text.of(e), body);
    }
}
