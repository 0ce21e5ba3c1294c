package dev.mta.mailauth.dkim;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One message's DKIM verification, fed the message as it streams in (CRLF lines, not dot-stuffed, split anywhere):
 * the header section is kept (up to a bound), and once it is complete the key lookups start while the body goes
 * through the body hashers, never copied. Then {@link #finish()}. The updates are pure CPU on the chunk given; one
 * thread at a time. Nothing in the message makes it throw.
 */
public final class DkimVerification {
    private final DkimVerifier verifier;
    private final HeaderSplitter splitter;
    private VerificationPlan plan;
    private CompletableFuture<DkimResults> result;

    DkimVerification(DkimVerifier verifier, int maxHeaderBytes) {
        this.verifier = verifier;
        this.splitter = new HeaderSplitter(maxHeaderBytes);
    }

    public void update(byte[] b, int offset, int length) {
        if (result != null) {
            throw new IllegalStateException("finished");
        }
        if (plan == null) {
            int taken = splitter.offer(b, offset, length);
            if (!splitter.done()) {
                return;
            }
            plan = verifier.plan(splitter.fields(), splitter.overflowed());
            offset += taken;
            length -= taken;
        }
        plan.body(b, offset, length);
    }

    public void update(ByteBuffer buffer) {
        ByteFeed.feed(buffer, this::update);
    }

    /**
     * The end of the message: the verdicts, completed once every key lookup has answered and every signature has
     * been checked on the verifier's executor. Never completes exceptionally. Later calls return the same stage.
     */
    public CompletionStage<DkimResults> finish() {
        if (result == null) {
            if (plan == null) {
                plan = verifier.plan(splitter.fields(), splitter.overflowed()); // no body, or no empty line
            }
            result = plan.finish(verifier.now());
        }
        return result;
    }
}
