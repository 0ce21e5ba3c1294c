package dev.mta.bench.compare;

import java.net.InetSocketAddress;

/** The server the load goes to in one run: the sink itself (the ceiling), this MTA, or Postfix. */
interface Subject extends AutoCloseable {
    /** Where the load sends. */
    InetSocketAddress smtp();

    /** The process whose tree is measured (CPU, PSS), or -1 when none is (the ceiling). */
    long rootPid();

    /** Stops it and removes what it left on disk. */
    @Override
    void close() throws Exception;
}
