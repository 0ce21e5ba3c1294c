package dev.mta.server.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small tmpfs a test mounts under its own directory, to fill for real. Mounting needs root: without it the test is
 * skipped, except under CI, where it fails (CI runs as root).
 */
public final class SmallTmpfs implements AutoCloseable {
    private final Path mount;

    private SmallTmpfs(Path mount) {
        this.mount = mount;
    }

    /** Mounts a tmpfs of {@code bytes} at {@code dir}/small-fs. */
    public static SmallTmpfs mount(Path dir, int bytes) throws Exception {
        Path mount = Files.createDirectory(dir.resolve("small-fs"));
        ProcessRunner.Result r = ProcessRunner.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs",
                mount.toString()), 20);
        if (r.exitCode() != 0) {
            String why = "cannot mount a tmpfs here (needs root): " + r.output();
            if (System.getenv("CI") != null) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        return new SmallTmpfs(mount);
    }

    public Path path() {
        return mount;
    }

    @Override
    public void close() throws Exception {
        ProcessRunner.run(List.of("umount", "-l", mount.toString()), 20);
    }
}
