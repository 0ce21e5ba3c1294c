package dev.mta.server.smtp;

/** User events the server fires at every session when it shuts down. */
enum ShutdownSignal {
    /** Stop taking commands; a message in flight may still finish. */
    GRACEFUL,
    /** The grace period is over: 421 and close at once. */
    NOW
}
