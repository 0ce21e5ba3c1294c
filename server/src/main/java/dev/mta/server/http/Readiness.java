package dev.mta.server.http;

/** Whether the MTA takes mail now, and if not why: what {@code GET /health/ready} answers. Must not block. */
@FunctionalInterface
public interface Readiness {
    /** Ready, or the reason it is not. */
    record Status(boolean ready, String reason) {
        public static final Status READY = new Status(true, "ready");

        public static Status notReady(String reason) {
            return new Status(false, reason);
        }
    }

    Status check();
}
