package dev.mta.bench.sink;

import dev.mta.server.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The sink's STARTTLS context: the server's self-signed certificate, made in a temporary directory then deleted. */
final class SinkTls {
    private SinkTls() {
    }

    static SslContext selfSigned() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mta-bench-sink-tls");
            return TlsContexts.load(null, null, dir, "sink.invalid").current();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind holds only a throwaway test certificate
        }
    }
}
