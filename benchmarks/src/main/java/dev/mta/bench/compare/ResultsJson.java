package dev.mta.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results and the setup they came from, as JSON (Jackson). */
final class ResultsJson {
    private ResultsJson() {
    }

    static void write(Map<String, Object> setup, List<RunResult> results, Path file) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("setup", setup);
        all.put("results", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), all);
    }

    /** The results of a results.json {@link #write} wrote. */
    static List<RunResult> read(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode results = mapper.readTree(file.toFile()).get("results");
        List<RunResult> out = new ArrayList<>();
        for (JsonNode r : results) {
            out.add(mapper.treeToValue(r, RunResult.class));
        }
        return out;
    }
}
