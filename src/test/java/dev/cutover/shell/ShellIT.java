package dev.cutover.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.command.CommandRegistry;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shell without a terminal (pipes) and with a JLine dumb terminal (completion, history). */
@org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS) // a hang guard, not a speed limit
class ShellIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @Test
    void javascriptLinesAndCommandLinesShareOneSession() {
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("1+2", "status().state", "let x = 40", "x + 2", "({a: [1, 'b']})");
            assertEquals(0, r.code(), r.all());
            assertEquals("3\nidle\n42\n{\n  \"a\": [\n    1,\n    \"b\"\n  ]\n}\n", r.out());
        }
    }

    @Test
    void pipedInputStopsAtFirstFailureWithItsExitCode() {
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("print('one')", "connect source nonsense", "print('never')");
            assertEquals(ExitCode.USAGE, r.code());
            assertEquals("one\n", r.out());
            assertTrue(r.err().startsWith("error: 'nonsense' is not a server URI"), r.err());
        }
    }

    @Test
    void keepGoingRunsEveryLineAndReturnsTheLastFailure() {
        try (TestShell shell = new TestShell(home, Map.of(), false, true)) {
            var r = shell.run("connect source nonsense", "print('still here')", "status --bogus", "print('end')");
            assertEquals(ExitCode.USAGE, r.code());
            assertEquals("still here\nend\n", r.out());
            assertTrue(r.err().contains("status: unknown option: '--bogus'"), r.err());
        }
    }

    @Test
    void unknownWordIsJavaScriptAndSaysSo() {
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("conect source redis://x");
            assertEquals(ExitCode.STEP_FAILED, r.code());
            assertTrue(r.err().startsWith("error: <shell>:1: "), r.err());
        }
    }

    @Test
    void helpListsGroupsAndExplainsACommandWithExamples() {
        try (TestShell shell = new TestShell(home)) {
            var all = shell.run("help");
            assertEquals(0, all.code());
            assertTrue(all.out().contains("Connect\n  connect"), all.out());
            assertTrue(all.out().contains("Any other line is JavaScript"), all.out());
            var one = shell.run("help connect");
            assertTrue(one.out().contains("Usage: connect"), one.out());
            assertTrue(one.out().contains("--password-env"), one.out());
            assertTrue(one.out().contains("Examples:"), one.out());
            assertEquals(ExitCode.USAGE, shell.run("help nosuch").code());
        }
    }

    @Test
    void journalRecordsCommandsWithOperatorAndOutcome() throws Exception {
        LocalServer server = servers.start(Flavour.REDIS_7);
        try (TestShell shell = new TestShell(home)) {
            shell.run("connect source " + server.uri());
            shell.run("connect target redis://127.0.0.1:1");
            shell.run("source.call('SET', 'k', 'v')");
            var r = shell.run("journal --json");
            assertEquals(0, r.code(), r.all());
            var entries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("entries");
            assertEquals(3, entries.size(), r.out());
            assertEquals("tester", entries.get(0).get("operator").asText());
            assertEquals("connect source " + server.uri(), entries.get(0).get("input").asText());
            assertEquals("ok", entries.get(0).get("outcome").asText());
            assertEquals(4, entries.get(1).get("exitCode").asInt());
            assertEquals("js: source.call SET k v", entries.get(2).get("input").asText());
        }
    }

    @Test
    void completionOffersCommandsRolesOptionsAndFiles() throws Exception {
        Files.writeString(home.resolve("plan.js"), "print(1)");
        assertEquals("connect ", complete("conn\t"));
        assertEquals("connect source ", complete("connect sou\t"));
        assertEquals("connect target redis://h --password-env ", complete("connect target redis://h --password-e\t"));
        assertEquals("disconnect target ", complete("disconnect tar\t"));
        assertEquals("help status ", complete("help sta\t"));
        assertEquals("run " + home + "/plan.js ", complete("run " + home + "/pl\t"));
    }

    @Test
    void hintShowsTheSyntaxOfTheCommandBeingTyped() throws Exception {
        try (TestShell shell = new TestShell(home); Terminal terminal = dumbTerminal("", new ByteArrayOutputStream())) {
            InteractiveShell interactive = interactive(shell, terminal);
            assertTrue(interactive.hint("connect ").contains("connect [-h] [--ask-password]"), interactive.hint("connect "));
            assertTrue(interactive.hint("connect ").contains("<role> <uri>"), interactive.hint("connect "));
            assertEquals("", interactive.hint("conn"));
            assertEquals("", interactive.hint("let x = 1"));
        }
    }

    @Test
    void linesWithPasswordsNeverReachHistory() throws Exception {
        try (TestShell shell = new TestShell(home);
             Terminal terminal = dumbTerminal("status\nconnect source redis://u:hunter2@127.0.0.1:1\n1+1\n",
                     new ByteArrayOutputStream())) {
            LineReader reader = interactive(shell, terminal).newReader();
            for (int i = 0; i < 3; i++) {
                reader.readLine("> ");
            }
            reader.getHistory().save();
            String history = Files.readString(shell.runtime().dirs().historyFile());
            assertTrue(history.contains("status"), history);
            assertTrue(history.contains("1+1"), history);
            assertFalse(history.contains("hunter2"), history);
            assertFalse(history.contains("connect source"), history);
        }
    }

    private String complete(String typed) throws Exception {
        try (TestShell shell = new TestShell(home); Terminal terminal = dumbTerminal(typed + "\n", new ByteArrayOutputStream())) {
            LineReader reader = interactive(shell, terminal).newReader();
            return reader.readLine("> ");
        }
    }

    private static InteractiveShell interactive(TestShell shell, Terminal terminal) {
        var rt = shell.runtime();
        return new InteractiveShell(terminal, rt.session(), CommandRegistry.standard(), rt.evaluator(), rt.scripts(),
                rt.console(), rt.dirs());
    }

    /** JLine's own test terminal (no pty; ansi, as JLine completes nothing on a dumb one) whose input stays open (an ended stream would close the reader early). */
    private static Terminal dumbTerminal(String input, ByteArrayOutputStream output) throws Exception {
        java.io.PipedInputStream in = new java.io.PipedInputStream(64 * 1024);
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream(in);
        feed.write(input.getBytes(StandardCharsets.UTF_8));
        feed.flush();
        return new org.jline.terminal.impl.ExternalTerminal("test", "ansi", in, output, StandardCharsets.UTF_8);
    }

    @Test
    void typosGetADidYouMean() {
        try (TestShell shell = new TestShell(home)) {
            var js = shell.run("conect source redis://127.0.0.1:1");
            assertEquals(ExitCode.STEP_FAILED, js.code());
            assertTrue(js.err().contains("did you mean 'connect'?"), js.err());
            var option = shell.run("replicate --flush-targe");
            assertEquals(ExitCode.USAGE, option.code());
            assertTrue(option.err().contains("(did you mean --flush-target?)"), option.err());
            var help = shell.run("help repoitn");
            assertEquals("error: no command 'repoitn': did you mean 'repoint'?\n", help.err());
            var noGuess = shell.run("zzzzzz");
            assertTrue(!noGuess.err().contains("did you mean"), noGuess.err());
        }
    }

    @Test
    void helpCutoverWalksThroughBothStrategies() {
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("help cutover");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("1. Update connection parameters"), r.out());
            assertTrue(r.out().contains("2. Through HAProxy"), r.out());
            assertTrue(r.out().contains("repoint --via haproxy --socket"), r.out());
            // every command the walkthrough names is a real command
            for (String command : new String[] {"connect", "check", "replicate", "wait-lag", "freeze-writes", "repoint",
                    "stop", "unfreeze"}) {
                assertTrue(shell.runtime().registry().isCommand(command), command);
                assertTrue(r.out().contains(command), command);
            }
        }
    }

    @Test
    void rcFileRunsWhenTheShellStarts() throws Exception {
        try (TestShell shell = new TestShell(home)) {
            Files.createDirectories(shell.runtime().dirs().config());
            Files.writeString(shell.runtime().dirs().config().resolve("rc.js"), "globalThis.fromRc = 'loaded';");
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            try (Terminal terminal = dumbTerminal("fromRc\n", screen)) {
                Thread runner = new Thread(() -> interactive(shell, terminal).run());
                runner.setDaemon(true);
                runner.start();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (!shell.everything().contains("loaded") && System.nanoTime() < deadline) {
                    Thread.sleep(50); // the shell ran rc.js, then evaluated 'fromRc' typed at its prompt
                }
                assertTrue(shell.everything().contains("loaded"), shell.everything());
            }
        }
    }
}
