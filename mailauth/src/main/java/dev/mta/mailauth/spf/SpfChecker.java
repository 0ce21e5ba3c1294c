package dev.mta.mailauth.spf;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.spf.HostEvaluator.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks SPF (RFC 7208) for the HELO and MAIL FROM identities over a {@link DnsLookup}, asynchronously: a check never
 * blocks a thread, and never fails, whatever the DNS holds (a bad record is a permerror, a DNS failure a temperror).
 * Each check has a time budget ({@link SpfSettings#timeBudget()}) kept on the timer given here: when it runs out the
 * check completes with temperror, on the timer's thread, and sends no further query. A Netty event loop will do as
 * the timer. Thread-safe; one instance serves every session.
 */
public final class SpfChecker {
    private static final Logger LOG = LoggerFactory.getLogger(SpfChecker.class);

    private final DnsLookup dns;
    private final ScheduledExecutorService timer;
    private final SpfSettings settings;
    private final MacroString defaultExplanation;

    /**
     * @param timer keeps each check's time budget; a cancelled deadline should leave its queue at once (Netty's event
     *              loops do; a ScheduledThreadPoolExecutor needs {@code setRemoveOnCancelPolicy(true)}), else every
     *              finished check's deadline waits there for the rest of the budget
     */
    public SpfChecker(DnsLookup dns, ScheduledExecutorService timer, SpfSettings settings) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.settings = Objects.requireNonNull(settings, "settings");
        String text = settings.defaultExplanation();
        this.defaultExplanation = MacroParser.explanation(text) // not a valid macro-string: then it is plain text
                .orElse(new MacroString(List.of(new MacroString.Literal(text))));
    }

    /**
     * The MAIL FROM check (RFC 7208 2.4): {@code mailFrom}'s domain, or for a null reverse-path (empty, null or
     * "&lt;&gt;") the HELO name with "postmaster" as the local part.
     */
    public CompletionStage<SpfResult> checkMailFrom(InetAddress client, String mailFrom, String helo) {
        String h = helo == null ? "" : helo;
        boolean nullSender = mailFrom == null || mailFrom.isEmpty() || mailFrom.equals("<>");
        String sender = nullSender ? "postmaster@" + h : mailFrom;
        return checkHost(client, domainOf(sender), sender, h, SpfIdentity.MAILFROM);
    }

    /** The HELO check (RFC 7208 2.3): the HELO name for the sender postmaster@HELO; none if it is no domain name. */
    public CompletionStage<SpfResult> checkHelo(InetAddress client, String helo) {
        String h = helo == null ? "" : helo;
        return checkHost(client, h, "postmaster@" + h, h, SpfIdentity.HELO);
    }

    /**
     * check_host() itself (RFC 7208 4): {@code domain} for {@code client} on behalf of {@code sender} ("local@domain";
     * an empty local part is "postmaster", 4.3), with {@code helo} for the %{h} macro. Only a null client throws.
     */
    public CompletionStage<SpfResult> checkHost(InetAddress client, String domain, String sender, String helo,
                                                SpfIdentity identity) {
        InetAddress ip = IpAddresses.client(Objects.requireNonNull(client, "client"));
        String d = domain == null ? "" : DomainNames.withoutTrailingDot(domain);
        String s = sender == null ? "" : sender;
        String h = helo == null ? "" : helo;
        int at = s.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : s.substring(0, at); // no local part: "postmaster" (4.3)
        String senderDomain = domainOf(s);
        Facts facts = new Facts(Objects.requireNonNull(identity, "identity"), d, local + "@" + senderDomain, ip, h);
        if (!DomainNames.isCheckable(d)) {
            return CompletableFuture.completedFuture(facts.result(AuthResult.NONE, null, null));
        }
        MacroValues values = new MacroValues(facts.sender(), local, senderDomain, d, ip, h, settings.receiver(),
                settings.clock().instant().getEpochSecond(), null);

        LookupLimits limits = new LookupLimits();
        HostEvaluator evaluator = new HostEvaluator(new Resolver(dns, limits), limits, defaultExplanation);
        CompletableFuture<SpfResult> out = new CompletableFuture<>();
        ScheduledFuture<?> deadline = schedule(() -> {
            limits.expire();
            out.complete(facts.result(AuthResult.TEMPERROR, null, "time limit exceeded"));
        });
        CompletionStage<Verdict> verdict;
        try {
            verdict = evaluator.checkHost(values, true);
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        verdict.whenComplete((v, error) -> {
            if (deadline != null) {
                deadline.cancel(false);
            }
            out.complete(error == null
                    ? facts.result(v.result(), v.explanation().orElse(null), null)
                    : failure(facts, error));
        });
        return out;
    }

    private ScheduledFuture<?> schedule(Runnable expiry) {
        try {
            return timer.schedule(expiry, settings.timeBudget().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("SPF check runs without its time budget: the timer is shut down");
            return null;
        }
    }

    private static SpfResult failure(Facts facts, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SpfAbort abort) {
            return facts.result(abort.result(), null, abort.getMessage());
        }
        LOG.warn("SPF check of {} failed unexpectedly", facts.domain(), cause);
        return facts.result(AuthResult.TEMPERROR, null, "internal error");
    }

    /** The domain part of a sender: after its last "@", or the whole when it has none. */
    private static String domainOf(String sender) {
        return sender.substring(sender.lastIndexOf('@') + 1);
    }

    /** What every result of one check repeats. */
    private record Facts(SpfIdentity identity, String domain, String sender, InetAddress client, String helo) {
        SpfResult result(AuthResult result, String explanation, String problem) {
            return new SpfResult(result, identity, domain, sender, client, helo, Optional.ofNullable(explanation),
                    Optional.ofNullable(problem));
        }
    }
}
