package dev.mta.mailauth.dkim;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The body hash of RFC 6376 3.7 (bh=), computed as the body streams in: fed the message body (CRLF lines, not
 * dot-stuffed) in chunks split anywhere, then {@link #finish()}. One per canonicalization, hash and l= limit;
 * several can be fed the same chunks. Pure CPU, proportional to the chunk; one thread at a time.
 */
public final class BodyHasher {
    /** No l= limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final MessageDigest digest;
    private final long limit;
    private final BodyCanonicalizer canonicalizer;
    private long canonicalLength;
    private byte[] hash;

    /** Hashes the whole canonical body. */
    public BodyHasher(Canonicalization canonicalization, DkimAlgorithm algorithm) {
        this(canonicalization, algorithm, UNLIMITED);
    }

    /** Hashes the first {@code limit} octets of the canonical body (a signature's l=). */
    public BodyHasher(Canonicalization canonicalization, DkimAlgorithm algorithm, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.digest = algorithm.newDigest();
        this.limit = limit;
        this.canonicalizer = new BodyCanonicalizer(canonicalization, this::hash);
    }

    public void update(byte[] b, int offset, int length) {
        if (hash != null) {
            throw new IllegalStateException("finished");
        }
        canonicalizer.update(b, offset, length);
    }

    public void update(ByteBuffer buffer) {
        ByteFeed.feed(buffer, this::update);
    }

    /** The hash (bh= decoded); later calls return the same. */
    public byte[] finish() {
        if (hash == null) {
            canonicalizer.finish();
            hash = digest.digest();
        }
        return hash.clone();
    }

    /** Octets of the whole canonical body, past the limit too (l= beyond it makes a signature fail); after finish. */
    public long canonicalLength() {
        return canonicalLength;
    }

    private void hash(byte[] b, int off, int len) {
        long room = limit - canonicalLength;
        canonicalLength += len;
        if (room > 0) {
            digest.update(b, off, (int) Math.min(len, room));
        }
    }
}
