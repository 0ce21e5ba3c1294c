package dev.mta.relay.transport.local;

import dev.mta.mailbox.aliases.Alias;
import dev.mta.mailbox.directory.LocalAddress;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.mailbox.maildir.MaildirName;
import dev.mta.mailbox.maildir.MaildirWriter;
import dev.mta.mailbox.maildir.OverQuotaException;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.relay.transport.HeaderSection;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Delivers the recipients of the local domains (route {@code local:}): a user's mail into their Maildir, with
 * {@code Return-Path} and {@code Delivered-To} added (as Postfix's local does); an alias's into the queue again, as a
 * new message to its targets (each its own recipient there), from {@code owner-NAME} when that alias exists, with a
 * {@code Delivered-To} line for the alias so that an alias loop is seen and bounced (5.4.6), not gone round forever.
 * A target that names the alias itself goes to the mailbox of the user of that name. Trouble with the disk and a
 * full mailbox (4.2.2) defer; the work runs on {@code workers}, never the caller's thread.
 */
public final class LocalTransport implements Transport {
    /** The transport name in routes: {@code local:}. */
    public static final String NAME = "local";

    private final LocalDirectory directory;
    private final MaildirWriter writer;
    private final Forwarder forwarder;
    private final long quota;
    private final UnaryOperator<String> home;
    private final Executor workers;

    /**
     * @param quota the most bytes a mailbox may hold, 0 for no limit
     * @param home  the local domain a bare alias target takes for an alias of a given domain (our own postmaster's
     *              targets must stay here, not become addresses of our host name)
     */
    public LocalTransport(LocalDirectory directory, MaildirWriter writer, Forwarder forwarder, long quota,
                          UnaryOperator<String> home, Executor workers) {
        this.directory = directory;
        this.writer = writer;
        this.forwarder = forwarder;
        this.quota = quota;
        this.home = home;
        this.workers = workers;
    }

    /** The route of every local recipient. */
    public static Route route(String hostname) {
        return new Route(NAME, hostname);
    }

    @Override
    public CompletableFuture<List<Outcome>> deliver(Delivery d) {
        return CompletableFuture.supplyAsync(() -> deliverAll(d), workers);
    }

    private List<Outcome> deliverAll(Delivery d) {
        Set<String> deliveredTo;
        try {
            deliveredTo = DeliveredTo.in(HeaderSection.read(d.content()));
        } catch (IOException e) {
            return java.util.Collections.nCopies(d.recipients().size(),
                    Outcome.deferred(EnhancedStatus.of(4, 3, 0), "cannot read the queued message: " + e.getMessage()));
        }
        List<Outcome> out = new ArrayList<>(d.recipients().size());
        for (MailPath r : d.recipients()) {
            out.add(deliverOne(d, r, deliveredTo));
        }
        return out;
    }

    private Outcome deliverOne(Delivery d, MailPath recipient, Set<String> deliveredTo) {
        if (deliveredTo.contains(recipient.address().toLowerCase(Locale.ROOT))) {
            return Outcome.failed(EnhancedStatus.of(5, 4, 6), "mail forwarding loop for " + recipient.address());
        }
        LocalAddress a = directory.lookup(recipient.localPart(), recipient.domain());
        if (a instanceof LocalAddress.Mailbox m) {
            return toMailbox(d, recipient, m.user());
        }
        if (a instanceof LocalAddress.Aliased al) {
            return expand(d, recipient, al.alias());
        }
        // Known at RCPT, gone since (the users file or the aliases changed): nobody to deliver to.
        return Outcome.failed(EnhancedStatus.of(5, 1, 1), "user unknown: " + recipient.address());
    }

    private Outcome toMailbox(Delivery d, MailPath recipient, String user) {
        byte[] prefix = ("Return-Path: <" + d.sender().address() + ">\r\nDelivered-To: " + recipient.address()
                + "\r\n").getBytes(StandardCharsets.UTF_8);
        try (InputStream in = d.content().openStream()) {
            MaildirName name = writer.deliver(user, prefix, in, quota);
            return Outcome.local(Outcome.Kind.DELIVERED, EnhancedStatus.of(2, 0, 0),
                    "delivered to maildir of " + user + " (" + name.base() + ")", null);
        } catch (OverQuotaException e) {
            return e.neverFits() ? Outcome.failed(EnhancedStatus.of(5, 2, 2), e.getMessage())
                    : Outcome.deferred(EnhancedStatus.of(4, 2, 2), e.getMessage());
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return Outcome.deferred(EnhancedStatus.of(4, 3, 0), "cannot write the mailbox of " + user + ": " + why);
        }
    }

    private Outcome expand(Delivery d, MailPath recipient, Alias alias) {
        List<MailPath> forward = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean self = false;
        String domain = home.apply(recipient.domain());
        for (MailPath t : alias.targetsIn(domain)) {
            if (t.localPart().equalsIgnoreCase(alias.name()) && t.domain().equalsIgnoreCase(domain)) {
                self = true; // "alice: alice, bob": alice's own mailbox, not the alias again
            } else if (seen.add(t.address().toLowerCase(Locale.ROOT))) { // a target listed twice gets one copy
                forward.add(t);
            }
        }
        String selfNote = "";
        if (self) {
            String user = directory.lookupUser(alias.name());
            if (user == null) {
                if (forward.isEmpty()) {
                    return Outcome.failed(EnhancedStatus.of(5, 1, 1),
                            "alias " + alias.name() + " names itself and there is no such user");
                }
                // The other targets still get it; the one that leads nowhere is said in the log line.
                selfNote = "; the target " + alias.name() + " (the alias itself) is no user and was left out";
            } else {
                Outcome own = toMailbox(d, recipient, user);
                if (own.kind() != Outcome.Kind.DELIVERED || forward.isEmpty()) {
                    return own;
                }
                selfNote = ", and to the mailbox of " + user;
            }
        }
        Alias owner = directory.ownerOf(alias.name());
        MailPath sender = owner != null && !d.sender().isNull()
                ? new MailPath(owner.name(), domain, false) : d.sender();
        byte[] prefix = ("Delivered-To: " + recipient.address() + "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            String id = forwarder.forward(sender, d.parameters(), forward, prefix, d.content());
            return Outcome.local(Outcome.Kind.DELIVERED, EnhancedStatus.of(2, 0, 0), "expanded by alias "
                    + alias.name() + " to " + forward.size() + " recipient(s), queued as " + id + selfNote, null);
        } catch (Exception e) {
            return Outcome.deferred(EnhancedStatus.of(4, 3, 0), "cannot queue the expansion of alias " + alias.name()
                    + ": " + e.getMessage());
        }
    }
}
