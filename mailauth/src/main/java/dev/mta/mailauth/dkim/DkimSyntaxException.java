package dev.mta.mailauth.dkim;

/**
 * Text that breaks DKIM's syntax (a tag-list, a signature, a key record). Checked and package-private: the parsers
 * throw it, and the public classes turn it into a result word, never letting it out.
 */
final class DkimSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    DkimSyntaxException(String reason) {
        super(reason, null, false, false);
    }
}
