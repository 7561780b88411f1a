package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;

/**
 * Which I/O a proxy under test must report: the channels when the build's second run asks for
 * them (CUTOVER_PROXY_IO=channel), else io_uring on JDK 22+ unless the kernel itself refused the
 * ring (a sysctl, a container's seccomp profile). Any other fallback (a missing --add-exports, a
 * bug) fails, or the io_uring path would go untested without a word.
 */
final class ExpectedIo {
    private ExpectedIo() {
    }

    static void check(String io) {
        if ("channel".equals(System.getenv(LoopIo.ENV))) {
            assertEquals("channel (asked for)", io);
            return;
        }
        Assumptions.assumeTrue(Runtime.version().feature() >= 22 && !io.startsWith("channel (io_uring is not available here"),
                "io_uring needs JDK 22+ and a kernel that allows it; this proxy uses: " + io);
        assertEquals("io_uring", io);
    }
}
