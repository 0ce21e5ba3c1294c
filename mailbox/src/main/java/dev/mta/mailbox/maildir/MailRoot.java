package dev.mta.mailbox.maildir;

import java.nio.file.Path;

/** Where the users' mailboxes are: {@code <mail-root>/<user>/Maildir}, for the delivery and POP3 alike. */
public final class MailRoot {
    private final Path root;

    public MailRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default mail root: the folder {@code mail} beside {@code spool}. */
    public static Path besideSpool(Path spool) {
        return spool.toAbsolutePath().normalize().resolveSibling("mail");
    }

    public Path root() {
        return root;
    }

    /** {@code user}'s Maildir; IllegalArgumentException for a name that is no single path element of its own. */
    public Path maildirOf(String user) {
        String problem = nameProblem(user);
        if (problem != null) {
            throw new IllegalArgumentException("no mailbox for user \"" + user + "\": " + problem);
        }
        return root.resolve(user).resolve("Maildir");
    }

    /** Why {@code user} cannot name a mailbox folder, or null: empty, ".", "..", a slash, a NUL or a control character. */
    public static String nameProblem(String user) {
        if (user.isEmpty() || user.equals(".") || user.equals("..")) {
            return "not a folder name";
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                return "a mailbox name cannot hold a slash or control characters";
            }
        }
        return null;
    }
}
