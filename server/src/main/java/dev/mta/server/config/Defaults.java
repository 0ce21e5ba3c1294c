package dev.mta.server.config;

import dev.mta.relay.verify.VerifySettings;

import dev.mta.queue.QueueConfig;
import dev.mta.queue.schedule.RetrySchedule;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.bounce.BounceSettings;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.HopHealth;

import java.time.Duration;

/**
 * The embedded defaults, in one place: the command line's {@code defaultValue}s (and so its --help) are built from
 * these constants, {@link ServerConfig#defaults()} and {@link RelaySettings#DEFAULT} read them, and the tests check
 * both against them. The queue's own defaults (segment size, retry schedule) are the queue's, referenced here.
 * Constants are compile-time constants so that annotations can use them; durations are in the unit the flag takes.
 */
public final class Defaults {
    private Defaults() {
    }

    public static final String SMTP_LISTEN = "127.0.0.1:2525";
    /** Prometheus metrics and the health checks, on loopback: the scraper runs on this machine or comes through a proxy. */
    public static final String METRICS_LISTEN = "127.0.0.1:9465";
    public static final String SPOOL = "data/spool";
    /**
     * DKIM private keys, {@code DIR/domain/selector.pem}: beside the spool, as the MTA's other state, so that one
     * data directory holds all of it; read by {@code mta dkim} now and by the coming --dkim-key-dir option.
     */
    public static final String DKIM_KEY_DIR = "data/dkim";
    /** 35 MiB. */
    public static final long MAX_MESSAGE_SIZE = 35L * 1024 * 1024;
    public static final int MAX_RECIPIENTS = 1000;
    public static final int MAX_CONNECTIONS = 1000;
    /** Connections open at once from one client (Postfix's smtpd_client_connection_count_limit default). */
    public static final int MAX_CONNECTIONS_PER_CLIENT = 50;
    /** New connections a minute from one client. */
    public static final int MAX_CONNECTION_RATE = 100;
    /** No greeting pause: a pause delays every client, and is for a listener on port 25 facing the internet. */
    public static final String GREET_PAUSE = "0";
    /** RFC 5321 4.5.3.1.4, counting the CRLF. */
    public static final int MAX_LINE_LENGTH = 512;
    public static final int MAX_ERRORS = 20;
    /** NOOP, RSET, VRFY, EXPN, HELP and repeated HELO/EHLO before each counts as an error (Postfix's smtpd_junk_command_limit). */
    public static final int MAX_JUNK_COMMANDS = 100;
    /** RFC 5321 4.5.3.2.7. */
    public static final long COMMAND_TIMEOUT_SECONDS = 300;
    public static final long DATA_TIMEOUT_SECONDS = 300;
    /** The longest a DATA phase may take in all, whatever the client's pace. */
    public static final long MAX_DATA_TIME_SECONDS = 1800;
    /** Bytes per second a client in DATA must keep up on average (Postfix's smtpd_min_data_rate default). */
    public static final long MIN_DATA_RATE = 500;
    public static final long SHUTDOWN_GRACE_SECONDS = 30;
    /** 0: twice the cores. */
    public static final int EVENT_LOOP_THREADS = 0;
    public static final long QUEUE_SEGMENT_SIZE = QueueConfig.DEFAULT_SEGMENT_SIZE;
    /** The share of the heap the queue's in-memory index may take before new mail is refused (452 4.3.1). */
    public static final int QUEUE_HEAP_PERCENT = 50;
    /** The queue's default schedule ({@link RetrySchedule#DEFAULT}), as the flag writes it. */
    public static final String RETRY_DELAYS = RetrySchedule.DEFAULT_DELAYS;
    public static final String MAX_LIFETIME = RetrySchedule.DEFAULT_MAX_LIFETIME;

    /** The relay's defaults are the relay module's ({@link RelaySettings#DEFAULT}), as the flags write them. */
    public static final String TRANSPORT_MAP = RelaySettings.DEFAULT_TRANSPORT_MAP;
    public static final int RELAY_PORT = RelaySettings.DEFAULT_PORT;
    public static final int MAX_OUTBOUND_CONNECTIONS = RelaySettings.DEFAULT_MAX_CONNECTIONS;
    public static final int MAX_PER_DESTINATION = RelaySettings.DEFAULT_MAX_PER_DESTINATION;
    public static final long OUTBOUND_IDLE_TIMEOUT_SECONDS = RelaySettings.DEFAULT_IDLE_TIMEOUT_SECONDS;
    public static final int MAX_RECEIVED_HEADERS = RelaySettings.DEFAULT_MAX_RECEIVED;
    /** The relay's timeouts: RFC 5321 4.5.3.2's minimums, with 30 s to connect ({@link ClientTimeouts#RFC_5321}). */
    public static final long RELAY_CONNECT_TIMEOUT_SECONDS = ClientTimeouts.CONNECT_SECONDS;
    public static final long RELAY_GREETING_TIMEOUT_SECONDS = ClientTimeouts.GREETING_SECONDS;
    public static final long RELAY_COMMAND_TIMEOUT_SECONDS = ClientTimeouts.COMMAND_SECONDS;
    public static final long RELAY_DATA_INIT_TIMEOUT_SECONDS = ClientTimeouts.DATA_INIT_SECONDS;
    public static final long RELAY_DATA_XFER_TIMEOUT_SECONDS = ClientTimeouts.DATA_BLOCK_SECONDS;
    public static final long RELAY_DATA_DONE_TIMEOUT_SECONDS = ClientTimeouts.DATA_DONE_SECONDS;
    /** The back-off of next-hop addresses that do not answer ({@link HopHealth.Backoff#DEFAULT}). */
    public static final long HOP_BACKOFF_MIN_SECONDS = HopHealth.Backoff.DEFAULT_MIN_SECONDS;
    public static final long HOP_BACKOFF_MAX_SECONDS = HopHealth.Backoff.DEFAULT_MAX_SECONDS;

    /** SMTP AUTH: the largest Argon2id memory cost (KiB) a --users line may have (Dovecot's default cost). */
    public static final long AUTH_MAX_ARGON2_MEMORY = dev.mta.server.auth.UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB;
    /** Failed AUTH attempts from one address within the lockout window before it is locked out. */
    public static final int AUTH_MAX_FAILURES = dev.mta.server.auth.AuthFailures.DEFAULT_LIMIT;
    /** The lockout window and length: ten minutes. */
    public static final long AUTH_LOCKOUT_SECONDS = dev.mta.server.auth.AuthFailures.DEFAULT_WINDOW_NANOS / 1_000_000_000L;
    /** A bare LF in an authenticated client's content: refused, as from everyone (reject or normalize). */
    public static final String BARE_NEWLINE = "reject";
    /** No mailbox quota. */
    public static final long MAILBOX_QUOTA = 0;
    /** VRFY confirms nothing (no address harvesting). */
    public static final String VRFY = "off";
    /** EXPN lists nothing. */
    public static final String EXPN = "off";
    /** When VRFY or EXPN are turned on, they answer every client. */
    public static final String VRFY_EXPN_CLIENTS = "any";

    /** POP3 on loopback, unprivileged: a port for trying it; deployments use 110 (STLS) and 995 (implicit TLS). */
    public static final String POP3_LISTEN = "127.0.0.1:1110";
    /** RFC 1939 3: the autologout timer is at least 10 minutes. */
    public static final long POP3_IDLE_TIMEOUT_SECONDS = 600;
    public static final int POP3_MAX_CONNECTIONS = 1000;

    /** Relay control: who may relay (loopback only), and which domains are taken from anyone (none). */
    public static final String MYNETWORKS = "127.0.0.0/8,::1/128";
    public static final String RELAY_DOMAINS = "";
    public static final String LOCAL_DOMAINS = "";

    // --- bounces: the relay's (BounceSettings.DEFAULT), as the flags write them ---
    /** Where a DSN of ours that cannot be delivered is told; "none" drops it with a log line. */
    public static final String DOUBLE_BOUNCE_TO = BounceSettings.NONE;
    /** A failed message of at most this many bytes comes back whole in its DSN, a larger one as its headers. */
    public static final int BOUNCE_SIZE_LIMIT = BounceSettings.DEFAULT_SIZE_LIMIT;

    // Recipient verification (call-ahead): --relay-verify, --verify-sender, the TTLs.
    /** No verification: none or callahead. */
    public static final String RELAY_VERIFY = "none";
    /** How long an accepted recipient is remembered (a day). */
    public static final String VERIFY_POSITIVE_TTL = "1d";
    /** How long a rejected recipient is remembered (an hour). */
    public static final String VERIFY_NEGATIVE_TTL = "1h";

    // Outbound TLS and smarthost AUTH: --relay-tls-policy (no default for --relay-tls-ca: the JDK's trust store;
    // none for --relay-auth: no credentials).
    /** Opportunistic TLS for every route, as before there was a policy ({@link RelaySettings#DEFAULT_TLS_POLICY}). */
    public static final String RELAY_TLS_POLICY = RelaySettings.DEFAULT_TLS_POLICY;

    // Verification of received mail (SPF, DKIM, DMARC) on the SMTP listener.
    /** Clients outside mynetworks that did not authenticate are verified. */
    public static final String MAILAUTH_VERIFY = "untrusted";
    /** A DMARC fail is recorded, never refused, unless the operator asks. */
    public static final String MAILAUTH_DMARC_ENFORCE = "off";
    /** A temporary error (DNS) is recorded and the message accepted. */
    public static final String MAILAUTH_ON_TEMPERROR = "accept";
    /** Each DNS query of the checks. */
    public static final int MAILAUTH_DNS_TIMEOUT_SECONDS = 5;
    /** DKIM signatures checked per message (mailauth's DkimVerifier.DEFAULT_MAX_SIGNATURES). */
    public static final int DKIM_MAX_SIGNATURES = 5;
    /** 0 on the command line: as many signature-check threads as cores. */
    public static final int MAILAUTH_WORKERS = 0;

    /** The signature-check threads for {@code workers} (0: one per core). */
    public static int mailauthWorkers(int workers) {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }

    /** The default count of signature-check threads: one per core. */
    public static int mailauthWorkers() {
        return mailauthWorkers(MAILAUTH_WORKERS);
    }

    /** The probes' MAIL FROM: double-bounce@ our name, as Postfix's address_verify_sender (some refuse &lt;&gt;). */
    public static String verifySender(String hostname) {
        return VerifySettings.DEFAULT_SENDER_LOCAL_PART + "@" + hostname;
    }

    /** The default name in the greeting, the EHLO reply and Received headers: this machine's. */
    public static String hostname() {
        return LocalHostname.get();
    }

    /** The relay timeouts above. */
    public static ClientTimeouts relayTimeouts() {
        return ClientTimeouts.RFC_5321;
    }
}
