package dev.mta.protocol.command;

import dev.mta.protocol.reply.SmtpReply;

import java.util.Map;

/** Checks MAIL parameters against the extensions this server offers and gives them meaning. */
final class MailParameterRules {
    private static final int MAX_SIZE_DIGITS = 18;

    /** A parameter the server refuses, with the reply to send. */
    static final class Rejection extends Exception {
        private final transient SmtpReply reply;

        Rejection(SmtpReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }

        SmtpReply reply() {
            return reply;
        }
    }

    private MailParameterRules() {
    }

    static MailParameters interpret(EsmtpParameters params) throws Rejection {
        if (params.isEmpty()) {
            return MailParameters.DEFAULT;
        }
        long size = -1;
        BodyType body = BodyType.SEVEN_BIT;
        boolean smtputf8 = false;
        for (Map.Entry<String, String> e : params.asMap().entrySet()) {
            String value = e.getValue();
            switch (e.getKey()) {
                case "SIZE":
                    size = parseSize(value);
                    break;
                case "BODY":
                    body = value == null ? null : BodyType.of(value);
                    if (body == null) {
                        throw new Rejection(SmtpReply.of(501, "5.5.4", "Syntax: BODY=7BIT or BODY=8BITMIME"));
                    }
                    break;
                case "SMTPUTF8":
                    if (value != null) {
                        throw new Rejection(SmtpReply.of(501, "5.5.4", "Syntax: SMTPUTF8 takes no value"));
                    }
                    smtputf8 = true;
                    break;
                default:
                    throw new Rejection(SmtpReply.of(555, "5.5.4",
                            "Error: MAIL FROM parameter " + e.getKey() + " not recognized or not implemented"));
            }
        }
        return new MailParameters(size, body, smtputf8);
    }

    // size-value = 1*20DIGIT; values beyond what a long holds are far over any limit anyway.
    private static long parseSize(String value) throws Rejection {
        if (value == null || value.isEmpty() || value.length() > 20) {
            throw new Rejection(SmtpReply.of(501, "5.5.4", "Syntax: SIZE=number"));
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new Rejection(SmtpReply.of(501, "5.5.4", "Syntax: SIZE=number"));
            }
        }
        return value.length() > MAX_SIZE_DIGITS ? Long.MAX_VALUE : Long.parseLong(value);
    }
}
