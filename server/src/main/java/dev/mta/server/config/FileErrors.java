package dev.mta.server.config;

import java.io.IOException;

/** Why a configured file could not be read, in the words of a one-line configuration error, not a class name. */
public final class FileErrors {
    private FileErrors() {
    }

    /** "no such file", "permission denied", "not UTF-8 text", or the exception's own message. */
    public static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
