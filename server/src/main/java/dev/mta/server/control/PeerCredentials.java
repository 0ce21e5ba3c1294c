package dev.mta.server.control;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Objects;

/**
 * Who may use the control channel: a peer whose user (the kernel's SO_PEERCRED, as the JDK's
 * {@code UnixDomainPrincipal}) is the server's own user or root. The socket file's mode (0600) already keeps other
 * users from connecting; this check holds even when that mode is changed, or the file is reached some other way.
 * Principals compare by uid, whatever their names.
 */
public final class PeerCredentials {
    private final UserPrincipal server;
    private final UserPrincipal root;

    /** {@code root} may be null where the system has no user named root. */
    PeerCredentials(UserPrincipal server, UserPrincipal root) {
        this.server = Objects.requireNonNull(server);
        this.root = root;
    }

    /** The server's own user (the owner of a file it just made) and root. */
    public static PeerCredentials serverOrRoot(UserPrincipal server) throws IOException {
        UserPrincipal root;
        try {
            root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root");
        } catch (UserPrincipalNotFoundException e) {
            root = null;
        }
        return new PeerCredentials(server, root);
    }

    /** Whether a peer running as {@code user} may send requests. */
    public boolean allows(UserPrincipal user) {
        return user != null && (user.equals(server) || user.equals(root));
    }

    /** Who is served, as the log and a refusal name them: "mta and root", or "root" when the server runs as root. */
    public String served() {
        return root == null ? server.getName() : server.equals(root) ? root.getName()
                : server.getName() + " and " + root.getName();
    }
}
