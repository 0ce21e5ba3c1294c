package dev.mta.archplant.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Breaks "the protocol uses no disk": a reply table read from a file. */
public final class PlantedDiskUser {
    public static String replies(Path file) throws IOException {
        return Files.readString(file);
    }
}
