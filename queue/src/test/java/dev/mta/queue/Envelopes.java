package dev.mta.queue;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.index.LegacyRecords;
import dev.mta.queue.model.Envelope;

import java.util.List;
import java.util.stream.Collectors;

/** Envelopes for tests, written as text the way a session would have received them. */
final class Envelopes {
    private Envelopes() {
    }

    static Envelope of(String sender, String params, List<String> rcpts, String client, String helo, String protocol) {
        return new Envelope(LegacyRecords.path(sender), LegacyRecords.parameters(params),
                rcpts.stream().map(LegacyRecords::path).collect(Collectors.toList()), client, helo, protocol);
    }

    static List<String> addresses(List<MailPath> paths) {
        return paths.stream().map(MailPath::address).collect(Collectors.toList());
    }
}
