package dev.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The completion functions run in real bash and zsh subprocesses. */
class CompletionShellIT {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."));

    private static List<String> complete(String shell, String setup, String words, int index) throws Exception {
        String script = setup + "source " + PROJECT.resolve("completions/cutover." + shell) + "; "
                + (shell.equals("zsh") ? "setopt ksharrays; " : "")
                + "COMP_WORDS=(" + words + "); COMP_CWORD=" + index + "; COMP_LINE='" + words + "'; "
                + "_complete_cutover 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder(shell, "-c", script).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static void requireShell(String shell) throws IOException, InterruptedException {
        boolean present = new ProcessBuilder("sh", "-c", "command -v " + shell).start().waitFor() == 0;
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(shell + " is missing: scripts/test.sh installs it");
        }
        Assumptions.assumeTrue(present, shell + " is not installed");
    }

    @Test
    void bashCompletesOptionsSubcommandsAndScriptFiles() throws Exception {
        requireShell("bash");
        assertEquals(List.of("--json"), complete("bash", "", "cutover --js", 1));
        assertEquals(List.of("demo"), complete("bash", "", "cutover de", 1));
        assertEquals(List.of("--arg", "--arg-env"), complete("bash", "", "cutover run --ar", 2));
        assertEquals(List.of("--source"), complete("bash", "", "cutover demo --so", 2));
        assertEquals(List.of("bash"), complete("bash", "", "cutover completions ba", 2).stream()
                .filter(s -> s.equals("bash")).toList());
    }

    @Test
    void zshCompletesThroughBashcompinit() throws Exception {
        requireShell("zsh");
        assertTrue(complete("zsh", "", "cutover --keep", 1).contains("--keep-going"));
        List<String> first = complete("zsh", "", "cutover ''", 1);
        assertTrue(first.containsAll(List.of("run", "demo", "completions")), first.toString());
        assertTrue(complete("zsh", "", "cutover run --a", 2).contains("--arg"));
    }
}
