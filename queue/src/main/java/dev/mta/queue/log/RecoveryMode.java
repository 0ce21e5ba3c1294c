package dev.mta.queue.log;

/**
 * What recovery may do about what it finds: the server repairs (cuts a torn tail, sets damaged segments aside in
 * {@code corrupt/}, removes a segment whose creation a crash cut short); the queue tool, reading a stopped server's
 * spool, only reads, so that it never changes what the server will find at its next start.
 */
enum RecoveryMode {
    REPAIR,
    READ_ONLY;

    boolean repairs() {
        return this == REPAIR;
    }
}
