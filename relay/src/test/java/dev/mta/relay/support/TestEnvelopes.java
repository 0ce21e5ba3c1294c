package dev.mta.relay.support;

import dev.mta.protocol.command.CommandParser;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.queue.model.Envelope;

import java.util.ArrayList;
import java.util.List;

/** Envelopes for tests, parsed from the commands a client would send, as the server parses them. */
public final class TestEnvelopes {
    private TestEnvelopes() {
    }

    public static Envelope of(String sender, String params, List<String> rcpts) {
        SmtpCommand mail = parse("MAIL FROM:<" + sender + ">" + (params.isEmpty() ? "" : " " + params));
        List<MailPath> to = new ArrayList<>();
        for (String r : rcpts) {
            to.add(parse("RCPT TO:<" + r + ">").path());
        }
        return new Envelope(mail.path(), mail.mailParameters(), to, "192.0.2.1", "client.test", "ESMTP");
    }

    private static SmtpCommand parse(String line) {
        SmtpCommand c = CommandParser.parse(line);
        if (c.isRejected()) {
            throw new IllegalArgumentException(line + ": " + c.rejection());
        }
        return c;
    }
}
