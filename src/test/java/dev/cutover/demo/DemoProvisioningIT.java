package dev.cutover.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.Provisioning;
import dev.cutover.local.ServerBinaries;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the demo cannot provision a server, it says what is missing and what to do, and starts nothing. */
class DemoProvisioningIT {
    @TempDir
    Path home;

    @Test
    void noServersAndNoWayToProvisionThemIsOneSentenceAndExit3() throws Exception {
        Map<String, String> bare = Map.of("CUTOVER_CACHE", home.resolve("cache").toString(), "PATH", "");
        Path noProject = Files.createDirectories(home.resolve("not-a-checkout"));
        try (TestShell shell = new TestShell(home)) {
            int code = new Demo(shell.runtime(), new ServerBinaries(bare), new Provisioning(noProject, bare),
                    Optional.empty(), Optional.of(Flavour.VALKEY_8)).run();
            var said = shell.run();
            assertEquals(ExitCode.PRECONDITION, code, said.all());
            assertTrue(said.out().contains("demo: provisioning Redis 7.0 and Valkey 8.0 from Debian's packages, once"), said.out());
            assertEquals("error: cannot run the demo without Redis 7.0 and Valkey 8.0: " + noProject.resolve("scripts")
                    .resolve("provision-servers.sh") + " is missing, so nothing can provision them here;"
                    + " or point CUTOVER_REDIS7_SERVER at a server binary\n",
                    said.err());
        }
    }
}
