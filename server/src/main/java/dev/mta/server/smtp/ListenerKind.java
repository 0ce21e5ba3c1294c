package dev.mta.server.smtp;

/** The kinds of listener: what a connection gets first, and which policies its sessions run. */
enum ListenerKind {
    SMTP("SMTP", SmtpObserver.Listener.SMTP), SUBMISSION("submission", SmtpObserver.Listener.SUBMISSION),
    SMTPS("SMTPS (implicit TLS)", SmtpObserver.Listener.SMTPS);

    /** How the log names it. */
    final String label;
    /** Which of the metrics' listeners its connections count in. */
    final SmtpObserver.Listener listener;

    ListenerKind(String label, SmtpObserver.Listener listener) {
        this.label = label;
        this.listener = listener;
    }
}
