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

    /** The short label of a {@link #label()} (as results.json keeps it); a label of another shape comes back as is. */
    static String shortLabel(String label) {
        String[] p = label.split(", ");
        if (p.length != 3 || !p[1].endsWith(" sessions")) {
            return label;
        }
        String conn = p[2].startsWith("new") ? "new" : p[2].startsWith("connections reused") ? "reuse"
                : p[2].split(" ")[0];
        return p[0] + "/" + p[1].substring(0, p[1].length() - " sessions".length()) + "/" + conn;
    }
}
