package dev.cutover.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real shell in a real terminal (tmux): the status line appears under the prompt while replicating. */
class StatusLineIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    private static String tmux(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void statusLineShowsReplicationUnderThePrompt() throws Exception {
        boolean present = new ProcessBuilder("sh", "-c", "command -v tmux").start().waitFor() == 0;
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("tmux is missing: scripts/test.sh installs it");
        }
        Assumptions.assumeTrue(present, "tmux is not installed");
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        Path project = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", ".")).toAbsolutePath();
        String session = "cutover-status-" + ProcessHandle.current().pid();
        tmux("-L", session, "new-session", "-d", "-s", session, "-x", "160", "-y", "30",
                "CUTOVER_HOME=" + home + " " + project.resolve("bin/cutover"));
        try {
            String screen = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!screen.contains("idle>") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                screen = tmux("-L", session, "capture-pane", "-p", "-t", session);
            }
            tmux("-L", session, "send-keys", "-t", session, "connect source " + source.uri(), "Enter",
                    "connect target " + target.uri(), "Enter", "replicate", "Enter");
            while (!screen.contains("native · streaming · lag") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                screen = tmux("-L", session, "capture-pane", "-p", "-t", session);
            }
            assertTrue(screen.contains("native · streaming · lag 0 B"), screen);
            String lastLine = screen.strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(lastLine.contains("native · streaming"), "the status line is not the bottom line: " + screen);
            tmux("-L", session, "send-keys", "-t", session, "stop --yes", "Enter");
            while (screen.contains("native · streaming") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                screen = tmux("-L", session, "capture-pane", "-p", "-t", session);
            }
            assertTrue(screen.contains("replication stopped"), screen);
            assertTrue(!screen.contains("native · streaming"), "the status line stayed after stop: " + screen);
        } finally {
            tmux("-L", session, "kill-server");
        }
    }
}
