package dev.mta.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;

/** The final report as JSON ({@code --json FILE}): the record's fields, latencies in milliseconds. */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    static void write(LoadReport r, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), r);
    }

    static String toJson(LoadReport r) throws IOException {
        return MAPPER.writeValueAsString(r);
    }
}
