package dev.mta.protocol.fuzz;

import java.util.Set;

/**
 * The reply codes a fuzzed session may ever send: RFC 5321's (4.2.2, 4.2.3) and RFC 4954's for AUTH. Written here
 * as a list of its own, not read from the production code, so a code added there by mistake fails the fuzz tests.
 * (testkit holds the same list for the modules above protocol, which cannot use testkit.)
 */
public final class RfcReplyCodes {
    public static final Set<Integer> RFC_5321 = Set.of(
            211, 214, 220, 221, 250, 251, 252, 354,
            421, 450, 451, 452, 455,
            500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555);
    public static final Set<Integer> RFC_4954 = Set.of(235, 334, 432, 454, 530, 534, 535, 538);

    private RfcReplyCodes() {
    }

    public static boolean allowed(int code) {
        return RFC_5321.contains(code) || RFC_4954.contains(code);
    }
}
