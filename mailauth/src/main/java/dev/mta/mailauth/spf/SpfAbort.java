package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;

/**
 * Ends an evaluation at once with temperror or permerror (RFC 7208 2.6.6, 2.6.7): thrown inside the evaluation's
 * stages and turned into a result by {@link SpfChecker}, never out of it. No stack trace: it is an outcome, not a bug.
 */
final class SpfAbort extends RuntimeException {
    private final AuthResult result;

    private SpfAbort(AuthResult result, String problem) {
        super(problem, null, false, false);
        this.result = result;
    }

    static SpfAbort permerror(String problem) {
        return new SpfAbort(AuthResult.PERMERROR, problem);
    }

    static SpfAbort temperror(String problem) {
        return new SpfAbort(AuthResult.TEMPERROR, problem);
    }

    AuthResult result() {
        return result;
    }
}
