package dev.mta.server.mailauth;

import dev.mta.mailauth.dkim.DkimResult;
import dev.mta.mailauth.dkim.DkimResults;
import dev.mta.mailauth.dkim.DkimVerification;
import dev.mta.mailauth.dmarc.DmarcInput;
import dev.mta.mailauth.dmarc.DmarcVerdict;
import dev.mta.mailauth.dmarc.Policy;
import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.spf.SpfIdentity;
import dev.mta.mailauth.spf.SpfResult;
import dev.mta.server.config.MailauthSettings;
import dev.mta.server.policy.ContentCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One message's verification: SPF for HELO and MAIL FROM started at MAIL (so the lookups overlap the transaction),
 * DKIM fed the client's content as it arrives (dot-unstuffed, without our Received field, which the session writes
 * around this check), forged Authentication-Results fields held back and dropped, then DMARC on the From domain.
 * Any internal error is that method's temperror: the message always goes on under the options.
 */
final class MessageAuth implements ContentCheck {
    private static final Logger log = LoggerFactory.getLogger(MessageAuth.class);

    private final Checkers checkers;
    private final MailauthSettings settings;
    private final String authservId;
    private final String helo;
    private final String mailFromSender;
    private final CompletableFuture<SpfResult> spfMailFrom;
    private final CompletableFuture<SpfResult> spfHelo;
    private final HeaderFilter headers;
    private DkimVerification dkim;
    private CompletionStage<Outcome> outcome;

    MessageAuth(Checkers checkers, MailauthSettings settings, String authservId, InetAddress client, String helo,
                String mailFrom) {
        this.checkers = checkers;
        this.settings = settings;
        this.authservId = authservId;
        this.helo = helo == null ? "" : helo;
        this.mailFromSender = mailFrom.isEmpty() ? "postmaster@" + this.helo : mailFrom;
        this.spfMailFrom = guarded(() -> checkers.spf.checkMailFrom(client, mailFrom, this.helo),
                e -> spfResult(AuthResult.TEMPERROR, SpfIdentity.MAILFROM, client, mailFromSender));
        this.spfHelo = this.helo.isEmpty()
                ? CompletableFuture.completedFuture(spfResult(AuthResult.NONE, SpfIdentity.HELO, client, ""))
                : guarded(() -> checkers.spf.checkHelo(client, this.helo),
                        e -> spfResult(AuthResult.TEMPERROR, SpfIdentity.HELO, client, "postmaster@" + this.helo));
        this.headers = new HeaderFilter(authservId);
        try {
            this.dkim = checkers.dkim.start();
        } catch (RuntimeException e) {
            log.warn("DKIM verification could not start: {}", e.toString());
        }
    }

    @Override
    public ByteBuf content(ByteBuf data) {
        if (dkim != null) {
            try {
                for (ByteBuffer b : data.nioBuffers()) {
                    dkim.update(b);
                }
            } catch (RuntimeException e) { // DKIM is then a temperror; the message goes on
                log.warn("DKIM verification failed: {}", e.toString());
                dkim = null;
            }
        }
        return headers.content(data);
    }

    @Override
    public ByteBuf endOfContent() {
        return headers.end();
    }

    @Override
    public CompletionStage<Outcome> outcome() {
        if (outcome == null) {
            CompletableFuture<DkimResults> dkimResults = dkim == null
                    ? CompletableFuture.completedFuture(dkimTempError())
                    : guarded(dkim::finish, e -> dkimTempError());
            String fromDomain = FromDomain.of(headers.fromValues());
            outcome = spfMailFrom.thenCombine(spfHelo, (m, h) -> new Verdicts(m, mailFromSender, h, helo, null, null))
                    .thenCombine(dkimResults, (v, d) -> new Verdicts(v.spfMailFrom(), mailFromSender, v.spfHelo(),
                            helo, d, null))
                    .thenCompose(v -> dmarc(fromDomain, v).thenApply(d -> new Verdicts(v.spfMailFrom(),
                            mailFromSender, v.spfHelo(), helo, v.dkim(), d)))
                    .thenApply(this::decide)
                    .exceptionally(e -> { // not reached by design; the message goes on as it is
                        log.warn("mailauth: {}", e.toString());
                        return Outcome.ACCEPT;
                    });
        }
        return outcome;
    }

    @Override
    public void abort() {
        // Only heap copies are held back (HeaderFilter): nothing to release.
    }

    private CompletableFuture<DmarcVerdict> dmarc(String fromDomain, Verdicts v) {
        if (fromDomain == null) {
            return CompletableFuture.completedFuture(dmarcVerdict(AuthResult.NONE, ""));
        }
        List<DmarcInput.Dkim> signatures = v.dkim().results().stream()
                .map(r -> new DmarcInput.Dkim(r.result(), r.domain())).toList();
        DmarcInput input = new DmarcInput(fromDomain,
                new DmarcInput.Spf(v.spfMailFrom().result(), v.spfMailFrom().domain()), signatures);
        return guarded(() -> checkers.dmarc.evaluate(input), e -> dmarcVerdict(AuthResult.TEMPERROR, fromDomain));
    }

    private Outcome decide(Verdicts v) {
        if (headers.dropped() > 0) {
            log.info("mailauth: {} Authentication-Results field(s) claiming {} removed", headers.dropped(), authservId);
        }
        String field = v.field(authservId);
        ByteBuf prefix = Unpooled.wrappedBuffer(field.getBytes(StandardCharsets.UTF_8));
        return new Outcome(v.refusal(settings), prefix);
    }

    /** {@code stage()}'s result, or {@code failed} of its exception, thrown or completed. */
    private static <T> CompletableFuture<T> guarded(Supplier<CompletionStage<T>> stage, Function<Throwable, T> failed) {
        try {
            return stage.get().toCompletableFuture().exceptionally(e -> {
                log.warn("mailauth check failed: {}", e.toString());
                return failed.apply(e);
            });
        } catch (RuntimeException e) {
            log.warn("mailauth check failed: {}", e.toString());
            return CompletableFuture.completedFuture(failed.apply(e));
        }
    }

    private SpfResult spfResult(AuthResult result, SpfIdentity identity, InetAddress client, String sender) {
        int at = sender.lastIndexOf('@');
        return new SpfResult(result, identity, at < 0 ? "" : sender.substring(at + 1), sender, client,
                helo == null ? "" : helo, Optional.empty(), Optional.of("internal error"));
    }

    private static DkimResults dkimTempError() {
        return new DkimResults(List.of(new DkimResult(AuthResult.TEMPERROR, "internal error", "", "", "", "", "", 0,
                false)), 0);
    }

    private static DmarcVerdict dmarcVerdict(AuthResult result, String fromDomain) {
        return new DmarcVerdict(result, fromDomain, Policy.NONE, false, "", "", false, List.of());
    }
}
