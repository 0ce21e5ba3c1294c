package dev.mta.bench.load;

/** The parts of a message's latency the load generator times. */
enum Phase {
    /** TCP connect, for a message that opened a connection. */
    CONNECT("connect"),
    /** Connected to the 220 greeting. */
    GREETING("greeting"),
    /** MAIL FROM sent to DATA's 354. */
    ENVELOPE("envelope"),
    /** The final dot sent to its 250. */
    DATA("end-of-data"),
    /** From when the message was due (open loop) or taken (closed loop) to its 250. */
    TOTAL("total");

    final String label;

    Phase(String label) {
        this.label = label;
    }
}
