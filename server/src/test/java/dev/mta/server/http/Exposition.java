package dev.mta.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text exposition, found by metric name and labels (in any order), for tests. */
final class Exposition {
    /** One sample line: its name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final String text;

    Exposition(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(parse(line));
        }
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            String body = line.substring(brace + 1, line.lastIndexOf('}'));
            // Label values here never hold quotes or commas (they come from fixed lists).
            for (String pair : body.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 2, pair.length() - 1));
            }
        } else {
            name = line.substring(0, space);
        }
        return new Sample(name, labels, Double.parseDouble(line.substring(space + 1)));
    }

    String text() {
        return text;
    }

    List<Sample> samples() {
        return samples;
    }

    /** The value of the one sample named {@code name} with these labels among its own ({@code k, v, k, v...}). */
    double value(String name, String... labels) {
        Sample found = null;
        for (Sample s : samples) {
            if (s.name().equals(name) && has(s, labels)) {
                if (found != null) {
                    throw new AssertionError("more than one sample " + name + " " + List.of(labels) + " in:\n" + text);
                }
                found = s;
            }
        }
        if (found == null) {
            throw new AssertionError("no sample " + name + " " + List.of(labels) + " in:\n" + text);
        }
        return found.value();
    }

    /** Whether any sample is named {@code name}. */
    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean has(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
