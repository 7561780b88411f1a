package dev.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher, bin/cutover, as an operator runs it: no JVM warning ever on stderr. */
class LauncherIT {
    @TempDir
    Path home;

    record Run(int code, String out, String err) {
    }

    private Run launch(String stdin, String... args) throws IOException, InterruptedException {
        return launch(java.util.Map.of(), stdin, args);
    }

    private Run launch(java.util.Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        Path project = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."));
        List<String> command = new ArrayList<>(List.of(project.resolve("bin/cutover").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CUTOVER_HOME", home.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/cutover did not finish");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void commandsFromDashC() throws Exception {
        Run r = launch("", "-c", "1+2; status().state");
        assertEquals(new Run(0, "3\nidle\n", ""), r);
    }

    @Test
    void versionAndHelp() throws Exception {
        Run version = launch("", "--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("cutover "), version.out());
        assertEquals("", version.err());
        Run help = launch("", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Exit codes:"), help.out());
    }

    @Test
    void stdinWithoutTerminalStopsAtFirstFailure() throws Exception {
        Run r = launch("print('a')\nconnect source redis://127.0.0.1:1\nprint('b')\n");
        assertEquals(4, r.code());
        assertEquals("a\n", r.out());
        assertEquals("error: source 127.0.0.1:1 refused the connection: check that the server is running and"
                + " listening on port 1\n", r.err());
    }

    @Test
    void badOptionIsUsageAndJsonErrorsAreObjects() throws Exception {
        assertEquals(2, launch("", "--no-such-option").code());
        Run json = launch("connect source redis://127.0.0.1:1\n", "--json");
        assertEquals(4, json.code());
        assertEquals("", json.err());
        assertTrue(json.out().startsWith("{\"ok\":false,\"error\":\"source 127.0.0.1:1 refused"), json.out());
    }

    /** As a newcomer meets it: an empty server cache, so the demo provisions its own target first. */
    @Test
    void demoOnAnEmptyServerCacheProvisionsMigratesUnderLoadAndLosesNothing() throws Exception {
        Path cache = home.resolve("empty-cache");
        Run r = launch(java.util.Map.of("CUTOVER_CACHE", cache.toString()), "", "demo");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("demo: provisioning Valkey 8.0 from Debian's packages, once"), r.out());
        assertTrue(r.out().contains("demo: provision: valkey8 ready"), r.out());
        assertTrue(r.out().contains("the source holds 60,000 keys"), r.out());
        assertTrue(r.out().contains("✓ done: clients write to the target through the proxy"), r.out());
        assertTrue(r.out().contains("write pause max"), r.out());
        assertTrue(r.out().matches("(?s).*demo: \\d+ writes were acknowledged during the migration: 0 errors, 0 lost writes.*"),
                r.out());
        assertEquals("", r.err());

        Run again = launch(java.util.Map.of("CUTOVER_CACHE", cache.toString()), "", "demo", "--target", "valkey8");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(!again.out().contains("provisioning"), "the second run provisioned again: " + again.out());
    }

    @Test
    void demoWithAnUnknownFlavourSaysWhichThereAre() throws Exception {
        Run r = launch("", "demo", "--target", "valkey10");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("error: --target 'valkey10' is not a server this demo knows: use one of redis7, redis8, redis86,"
                + " valkey8, valkey9\n", r.err());
    }
}
