package dev.mta.server.smtp;

import dev.mta.server.auth.UserStore;

/**
 * SMTP AUTH for a server: the users passwords are checked against (null: AUTH is not offered), and whether it may
 * be offered without TLS to a client that is not on loopback ({@code --allow-plaintext-auth}).
 */
public record AuthSettings(UserStore users, boolean allowPlaintext) {
    /** No AUTH. */
    public static final AuthSettings NONE = new AuthSettings(null, false);

    public boolean enabled() {
        return users != null;
    }
}
