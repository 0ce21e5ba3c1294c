package dev.mta.bench.compare;

/** The three runs of a comparison, in the order they run. */
enum Contender {
    CEILING("ceiling", "ceiling (load → sink)"),
    MTA("mta", "this MTA"),
    POSTFIX("postfix", "Postfix");

    final String option;
    final String label;

    Contender(String option, String label) {
        this.option = option;
        this.label = label;
    }

    static Contender parse(String s) {
        for (Contender c : values()) {
            if (c.option.equalsIgnoreCase(s.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("--runs takes ceiling, mta and postfix, not " + s);
    }
}
