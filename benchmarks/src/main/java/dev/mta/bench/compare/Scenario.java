package dev.mta.bench.compare;

/** One load shape of the matrix: message size, sessions, messages per connection (1: new each, 0: reused). */
record Scenario(String size, int sessions, int perConnection) {

    /** {@code 10k, 200 sessions, new connection per message} */
    String label() {
        String conn = perConnection == 1 ? "new connection per message"
                : perConnection == 0 ? "connections reused" : perConnection + " messages per connection";
        return size + ", " + sessions + " sessions, " + conn;
    }

    /** {@code 10k/200/new}, for the chart's axis. */
    String shortLabel() {
        String conn = perConnection == 1 ? "new" : perConnection == 0 ? "reuse" : Integer.toString(perConnection);
        return size + "/" + sessions + "/" + conn;
    }
}
