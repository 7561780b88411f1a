package dev.cutover.testing;

import dev.cutover.local.Flavour;
import dev.cutover.local.ServerBinaries;
import dev.cutover.local.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Redis 8.6 with Redis's own key-metadata test module (tests/modules/test_keymeta.so, built by
 * scripts/provision-servers.sh): the only way to make a real server write key metadata. The
 * module registers classes only by command, which Redis allows with debug commands enabled.
 */
public final class KeyMetaModule {
    private KeyMetaModule() {
    }

    /** The spec, or the test is skipped (failed under CI) when the module is not provisioned. */
    public static ServerSpec redis86() {
        Path module = new ServerBinaries(System.getenv()).cacheDir().resolve("servers/redis86/modules/test_keymeta.so");
        if (!Files.isRegularFile(module)) {
            String reason = module + " is missing: run 'CUTOVER_SERVERS=redis86 scripts/provision-servers.sh'";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI runs the whole server matrix, but " + reason);
            }
            Assumptions.abort(reason);
        }
        return ServerSpec.of(Flavour.REDIS_86).withConfig(List.of("enable-debug-command yes", "loadmodule " + module));
    }
}
