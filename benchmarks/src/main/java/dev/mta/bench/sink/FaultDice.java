package dev.mta.bench.sink;

import java.util.SplittableRandom;

/**
 * One connection's fault decisions, drawn from a generator seeded by the sink's seed and the connection's number, so
 * a run with the same seed and the same order of connections and commands decides the same.
 */
final class FaultDice {
    /** What to answer. */
    enum Verdict { ACCEPT, TEMP_FAIL, PERM_FAIL }

    private final SplittableRandom random;
    private final SinkSettings settings;

    FaultDice(SinkSettings settings, long connectionNumber) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed() + connectionNumber * 0x9E3779B97F4A7C15L);
    }

    boolean dropConnection() {
        return roll(settings.dropPct());
    }

    Verdict rcpt() {
        return verdict(settings.rcptTempFailPct(), settings.rcptPermFailPct());
    }

    Verdict data() {
        return verdict(settings.dataTempFailPct(), settings.dataPermFailPct());
    }

    private Verdict verdict(double tempPct, double permPct) {
        if (tempPct == 0 && permPct == 0) {
            return Verdict.ACCEPT;
        }
        double r = random.nextDouble() * 100;
        return r < tempPct ? Verdict.TEMP_FAIL : r < tempPct + permPct ? Verdict.PERM_FAIL : Verdict.ACCEPT;
    }

    private boolean roll(double pct) {
        return pct > 0 && random.nextDouble() * 100 < pct;
    }
}
