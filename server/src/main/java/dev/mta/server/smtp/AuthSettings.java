package dev.mta.server.smtp;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.server.auth.Lockout;
import dev.mta.server.auth.UserStore;

import java.util.Objects;

/**
 * SMTP AUTH for a server: the users passwords are checked against (null: AUTH is not offered), whether it may
 * be offered without TLS to a client that is not on loopback ({@code --allow-plaintext-auth}), and what a bare LF in
 * the content of an authenticated session means ({@code --bare-newline}; sessions that have not authenticated always
 * refuse it), and how failures lock a client out.
 */
public record AuthSettings(UserStore users, boolean allowPlaintext, BareNewline bareNewline, Lockout lockout) {
    /** No AUTH. */
    public static final AuthSettings NONE = new AuthSettings(null, false);

    public AuthSettings {
        Objects.requireNonNull(bareNewline, "bareNewline");
        Objects.requireNonNull(lockout, "lockout");
    }

    /** With the default lockout. */
    public AuthSettings(UserStore users, boolean allowPlaintext, BareNewline bareNewline) {
        this(users, allowPlaintext, bareNewline, Lockout.DEFAULT);
    }

    /** Bare LFs refused from everyone, as by default. */
    public AuthSettings(UserStore users, boolean allowPlaintext) {
        this(users, allowPlaintext, BareNewline.REJECT);
    }

    public boolean enabled() {
        return users != null;
    }
}
