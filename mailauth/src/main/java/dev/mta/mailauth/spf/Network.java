package dev.mta.mailauth.spf;

/**
 * An address block of an ip4 or ip6 mechanism, or an address found in DNS with the mechanism's CIDR length: which
 * client addresses it covers.
 *
 * @param address 4 or 16 bytes
 * @param prefix  the number of leading bits that must be equal
 */
record Network(byte[] address, int prefix) {
    /** Whether {@code client} (4 or 16 bytes) is in the block; an address of the other family never is. */
    boolean contains(byte[] client) {
        if (client.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (client[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (client[full] & mask) == (address[full] & mask);
    }
}
