package dev.mta.server.pop3;

import dev.mta.mailbox.maildir.MailRoot;
import dev.mta.mailbox.maildrop.Maildrop;
import dev.mta.mailbox.maildrop.MaildropLock;
import dev.mta.mailbox.maildrop.MaildropLocks;
import dev.mta.mailbox.maildrop.MaildropMessage;
import dev.mta.protocol.pop3.Pop3Command;
import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.protocol.pop3.ResponseCode;
import dev.mta.server.events.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A logged-in session's maildrop (RFC 1939 5, 6): opened after the password checks out (the lock, then the snapshot,
 * on the disk threads), STAT, LIST, UIDL, DELE, RSET and NOOP on the snapshot in memory, and the UPDATE state after
 * QUIT, the only place files are removed. A session that ends any other way removes nothing and lets the lock go.
 * Event loop only; the disk through {@link SessionDisk}.
 */
final class Pop3Transaction {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    static final Pop3Reply IN_USE = Pop3Reply.err(ResponseCode.IN_USE, "Maildrop already locked by another session");
    static final Pop3Reply CANNOT_OPEN = Pop3Reply.err(ResponseCode.SYS_TEMP, "Cannot open the maildrop, try later");
    static final Pop3Reply NO_MAILDROP = Pop3Reply.err(ResponseCode.SYS_PERM, "No maildrop for this user");
    static final Pop3Reply NO_SUCH_MESSAGE = Pop3Reply.err("No such message");
    static final Pop3Reply NOT_REMOVED = Pop3Reply.err(ResponseCode.SYS_TEMP, "Some deleted messages not removed");
    static final Pop3Reply NOOP = Pop3Reply.ok("");

    private final MailRoot mailRoot;
    private final MaildropLocks locks;
    private final SessionDisk disk;
    private final Pop3Conversation talk;
    private final Pop3Out out;
    private final Pop3Input input;
    private final Pop3Observer observer;
    private MaildropLock lock;
    private Maildrop drop;
    private final BitSet deleted = new BitSet();
    private int retrieved;
    private long retrievedOctets;
    private boolean ended;

    Pop3Transaction(MailRoot mailRoot, MaildropLocks locks, SessionDisk disk, Pop3Conversation talk, Pop3Out out,
                    Pop3Input input, Pop3Observer observer) {
        this.mailRoot = mailRoot;
        this.locks = locks;
        this.disk = disk;
        this.talk = talk;
        this.out = out;
        this.input = input;
        this.observer = observer;
    }

    /** {@code user}'s credentials checked out (reading is paused): lock and read the maildrop, then TRANSACTION. */
    void open(String user) {
        record Opened(MaildropLock lock, Maildrop drop) {
        }
        disk.submit(() -> {
            MaildropLock l = locks.tryLock(mailRoot.maildirOf(user));
            if (l == null) {
                return null;
            }
            try {
                return new Opened(l, l.snapshot());
            } catch (Exception e) {
                l.close();
                throw e;
            }
        }, (opened, e) -> {
            if (opened != null && (!out.open() || ended)) {
                disk.quietly(() -> { opened.lock().close(); return null; }); // the client left meanwhile
                return;
            }
            if (!out.open()) {
                return;
            }
            if (opened != null) {
                lock = opened.lock();
                drop = opened.drop();
                talk.loggedIn(user);
                observer.login(Pop3Observer.LoginResult.OK);
                log.info("pop3 login user={} client={} tls={} messages={} octets={}", LogText.of(user),
                        talk.clientText(), talk.tlsActive() ? "yes" : "no", drop.count(), drop.totalSize());
                out.reply(Pop3Reply.ok("Logged in, " + drop.count() + " messages (" + drop.totalSize() + " octets)"));
            } else if (e == null) {
                log.info("pop3 login user={} client={}: maildrop in use", LogText.of(user), talk.clientText());
                observer.login(Pop3Observer.LoginResult.IN_USE);
                out.reply(IN_USE);
            } else {
                boolean badName = e instanceof IllegalArgumentException;
                log.warn("pop3 login user={} client={}: cannot open the maildrop: {}", LogText.of(user),
                        talk.clientText(), e.toString());
                observer.login(Pop3Observer.LoginResult.ERROR);
                out.reply(badName ? NO_MAILDROP : CANNOT_OPEN);
            }
            input.resume(Pop3Input.Reason.WORK);
            out.flush();
        });
    }

    Maildrop maildrop() {
        return drop;
    }

    /** Why message {@code n} cannot be used (no such message, or marked deleted), or null when it can. */
    Pop3Reply problem(int n) {
        if (n < 1 || n > drop.count()) {
            return NO_SUCH_MESSAGE;
        }
        return deleted.get(n) ? Pop3Reply.err("Message " + n + " already deleted") : null;
    }

    void stat() {
        out.reply(Pop3Reply.ok(visibleCount() + " " + visibleSize()));
    }

    void list(Pop3Command cmd) {
        scan(cmd, m -> String.valueOf(m.size()));
    }

    void uidl(Pop3Command cmd) {
        scan(cmd, MaildropMessage::uid);
    }

    /** LIST or UIDL: one message's line, or all those not deleted. */
    private void scan(Pop3Command cmd, java.util.function.Function<MaildropMessage, String> value) {
        if (cmd.argument(0) != null) {
            int n = cmd.number(0);
            Pop3Reply p = problem(n);
            if (p != null) {
                out.reply(p); // a message number that is not (or no longer) there: a routine answer, not misuse
            } else {
                out.reply(Pop3Reply.ok(n + " " + value.apply(drop.message(n))));
            }
            return;
        }
        List<String> lines = new ArrayList<>(visibleCount());
        for (MaildropMessage m : drop.messages()) {
            if (!deleted.get(m.number())) {
                lines.add(m.number() + " " + value.apply(m));
            }
        }
        out.reply(Pop3Reply.multiLine(visibleCount() + " messages (" + visibleSize() + " octets)", lines));
    }

    void dele(Pop3Command cmd) {
        int n = cmd.number(0);
        Pop3Reply p = problem(n);
        if (p != null) {
            out.reply(p);
            return;
        }
        deleted.set(n);
        out.reply(Pop3Reply.ok("Message " + n + " deleted"));
    }

    void rset() {
        deleted.clear();
        out.reply(Pop3Reply.ok("Maildrop has " + drop.count() + " messages (" + drop.totalSize() + " octets)"));
    }

    void noop() {
        out.reply(NOOP);
    }

    /** RETR sent message {@code n} whole: {@code octets} of its content. */
    void retrieved(long octets) {
        retrieved++;
        retrievedOctets += octets;
        observer.messageRetrieved();
    }

    /** QUIT in TRANSACTION: UPDATE, the marked messages removed, the lock let go, the last reply and the close. */
    void quit() {
        talk.updating();
        input.pause(Pop3Input.Reason.WORK);
        List<Integer> marked = deleted.stream().boxed().toList();
        disk.submit(() -> marked.isEmpty() ? List.<MaildropMessage>of() : drop.delete(marked), (failed, e) -> {
            int removed = e != null ? 0 : marked.size() - failed.size();
            observer.messagesDeleted(removed);
            end("quit", removed);
            if (e != null || !failed.isEmpty()) {
                log.warn("pop3 user={}: {} of {} deleted messages not removed{}", LogText.of(talk.user()),
                        e != null ? marked.size() : failed.size(), marked.size(), e != null ? ": " + e : "");
                out.closeWith(NOT_REMOVED);
            } else {
                out.closeWith(Pop3Reply.ok("Bye, " + removed + " messages deleted"));
            }
        });
    }

    /** The session ended without QUIT (dropped, timed out, shut down): nothing is removed. */
    void abandon(String why) {
        end(why, 0);
    }

    private void end(String why, int removed) {
        if (ended) {
            return;
        }
        ended = true;
        if (lock == null) {
            return;
        }
        MaildropLock l = lock;
        lock = null;
        disk.quietly(() -> {
            l.close();
            return null;
        });
        log.info("pop3 logout user={} client={} retr={}/{} del={} ({})", LogText.of(talk.user()), talk.clientText(),
                retrieved, retrievedOctets, removed, why);
    }

    private int visibleCount() {
        return drop.count() - deleted.cardinality();
    }

    private long visibleSize() {
        long s = drop.totalSize();
        for (int n = deleted.nextSetBit(0); n >= 0; n = deleted.nextSetBit(n + 1)) {
            s -= drop.message(n).size();
        }
        return s;
    }
}
