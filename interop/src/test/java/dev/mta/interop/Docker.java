package dev.mta.interop;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Whether the container tests can run: a Docker daemon and the local Debian base image. Under CI (CI set) their
 * absence fails the test; elsewhere it skips it, saying what to run.
 */
final class Docker {
    /** The base image interop/scripts/docker-up.sh builds with debootstrap: no registry is needed. */
    static final String BASE_IMAGE = "mta-interop-base:bookworm";
    private static final String HOW = "run interop/scripts/docker-up.sh as root (needs docker.io and debootstrap;"
            + " .ci/run does it), and the tests as root or a member of the docker group";
    /** On every container the tests start, so that docker-up.sh can remove those a killed run left behind. */
    static final String LABEL = "dev.mta.interop";

    private Docker() {
    }

    static void require() {
        String missing = null;
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            missing = "Docker is not running";
        } else {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(BASE_IMAGE).exec();
            } catch (RuntimeException e) {
                missing = "the base image " + BASE_IMAGE + " is not built";
            }
        }
        if (missing == null) {
            return;
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError(missing + ": " + HOW);
        }
        // Said on stderr too: an abort in @BeforeAll leaves a class with no test counted, and no line anywhere.
        System.err.println("[interop] SKIPPED: " + missing + ": " + HOW);
        Assumptions.abort(missing + ": " + HOW);
    }

    /**
     * The image of {@code images/<name>/} (its Dockerfile and start.sh), built on the host's network (containers
     * reach no bridge here) and kept, so a second build is Docker's cache.
     */
    static ImageFromDockerfile image(String name) {
        return new ImageFromDockerfile("mta-interop-" + name + ":test", false)
                .withFileFromClasspath("Dockerfile", "images/" + name + "/Dockerfile")
                .withFileFromClasspath("start.sh", "images/" + name + "/start.sh")
                // forcerm: a failed build leaves no container behind (vfs keeps each as a full copy)
                .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host").withForcerm(true));
    }
}
