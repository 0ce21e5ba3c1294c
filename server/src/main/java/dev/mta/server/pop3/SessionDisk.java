package dev.mta.server.pop3;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * One session's work on the disk (the maildrop's snapshot, message reads, deletions, the lock's release), run on the
 * server's disk threads, never the event loop, one task after another in the order given: the lock is let go only
 * after the session's last read. Answers come back on the session's event loop.
 */
final class SessionDisk {
    private final Executor disk;
    private final EventExecutor loop;
    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

    SessionDisk(Executor disk, EventExecutor loop) {
        this.disk = disk;
        this.loop = loop;
    }

    /** Runs {@code task} on the disk threads after the session's earlier tasks; {@code then} on the event loop. */
    <T> void submit(Callable<T> task, BiConsumer<T, Throwable> then) {
        CompletableFuture<T> f = last.handleAsync((ignored, e) -> {
            try {
                return task.call();
            } catch (Exception ex) {
                throw new java.util.concurrent.CompletionException(ex);
            }
        }, disk);
        last = f;
        f.whenComplete((v, e) -> {
            try {
                loop.execute(() -> then.accept(v, unwrap(e)));
            } catch (RejectedExecutionException stopped) {
                ReferenceCountUtil.release(v); // the event loop is gone, and with it the session: a chunk read is dropped
            }
        });
    }

    /** Runs {@code task} on the disk threads after the earlier ones, with no answer (closing a file, the lock). */
    void quietly(Callable<?> task) {
        last = last.handleAsync((ignored, e) -> {
            try {
                task.call();
            } catch (Exception ignoredToo) {
                // The session is gone: whoever ran the task logged what mattered.
            }
            return null;
        }, disk);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
