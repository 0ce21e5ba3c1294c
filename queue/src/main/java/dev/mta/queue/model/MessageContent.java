package dev.mta.queue.model;

import java.io.IOException;
import java.io.InputStream;

/** A message's content as stored: CRLF lines, not dot-stuffed; read in order, from a thread that may block. */
public interface MessageContent {
    long length();

    /** Reads the content from its start; call from a thread that may block on the disk. */
    InputStream openStream() throws IOException;
}
