package dev.cutover.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** If the shell dies mid-freeze, nobody renews the lease and writes resume by themselves. */
class FreezeExpiryIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @Test
    void killingTheShellMidFreezeLetsWritesResumeLongBeforeMax() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        Path project = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."));
        ProcessBuilder pb = new ProcessBuilder(project.resolve("bin/cutover").toString()).redirectErrorStream(true);
        pb.environment().put("CUTOVER_HOME", home.toString());
        Process shell = pb.start();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(source.host()).withPort(source.port()).build());
        try (OutputStream stdin = shell.getOutputStream();
             BufferedReader stdout = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
             StatefulRedisConnection<String, String> writer = client.connect()) {
            stdin.write(("connect source " + source.uri() + "\nfreeze-writes --lease 2s --max 300s --yes\nprint('FROZEN')\n")
                    .getBytes(StandardCharsets.UTF_8));
            stdin.flush(); // stdin stays open: the shell waits for more, renewing the lease
            String line;
            while ((line = stdout.readLine()) != null && !line.equals("FROZEN")) {
                assertTrue(!line.startsWith("error"), line);
            }
            assertEquals("FROZEN", line);

            writer.setTimeout(Duration.ofSeconds(3)); // longer than a lease: renewals keep it frozen
            assertThrows(RedisCommandTimeoutException.class, () -> writer.sync().set("during", "freeze"),
                    "writes were not frozen while the shell lived");

            shell.destroyForcibly().waitFor();
            // With --max 300s a freeze that outlived its shell would hold this write for minutes.
            writer.setTimeout(Duration.ofSeconds(60));
            assertEquals("OK", writer.sync().set("after", "kill"));
        } finally {
            shell.destroyForcibly();
            client.shutdown();
        }
    }
}
