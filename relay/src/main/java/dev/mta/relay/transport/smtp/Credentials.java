package dev.mta.relay.transport.smtp;

/** A user name and password to authenticate to a smarthost with; its text never shows the password. */
public record Credentials(String user, String password) {
    public Credentials {
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("credentials need a user and a password");
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + user + ", password hidden]";
    }
}
