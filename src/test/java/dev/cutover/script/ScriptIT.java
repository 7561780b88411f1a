package dev.cutover.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Scripts: the API against a real server, errors with file:line, exit codes, the sandbox. */
class ScriptIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    private Path script(String name, String code) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, code);
        return file;
    }

    @Test
    void scriptDrivesTheSessionWithArgs() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        Path plan = script("plan.js", """
                const s = connect('source', args.source);
                print('kind', s.info.version.kind, 'keys', s.info.keyspace.length === undefined);
                source.call('SET', 'greeting', args.word);
                print(source.call('GET', 'greeting'));
                print(source.info('server').includes('valkey_version:9.1'));
                print(status().state, status().endpoints.length);
                waitFor(() => source.call('EXISTS', 'greeting') === 1, {timeout: '2s', every: '10ms'});
                """);
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("run " + plan + " --arg source=" + server.uri() + " --arg word=hello");
            assertEquals(0, r.code(), r.all());
            assertEquals("kind VALKEY keys true\nhello\ntrue\nconnected 1\n", r.out());
        }
    }

    @Test
    void aSecretArgumentComesFromTheEnvironmentAndIsInNoSink() throws Exception {
        Path plan = script("secret.js", "print('length ' + args.pw.length + ', starts ' + args.pw.substring(0, 2));\n");
        String secret = "Env-held-Secret'\"`7";
        try (TestShell shell = new TestShell(home, java.util.Map.of("PLAN_PW", secret), false, false)) {
            var ran = shell.run("run " + plan + " --arg-env pw=PLAN_PW");
            assertEquals(0, ran.code(), ran.all());
            assertTrue(ran.out().contains("length " + secret.length() + ", starts En"), ran.out());
            var unset = shell.run("run " + plan + " --arg-env pw=NOT_SET_ANYWHERE");
            assertEquals(ExitCode.USAGE, unset.code());
            assertTrue(unset.err().contains("the variable NOT_SET_ANYWHERE is not set; export it first"), unset.err());
            assertTrue(!shell.everything().contains(secret), "the secret reached the screen or the journal");
        }
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        Path bad = script("bad.js", "print('ok');\nlet = ;\n");
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("run " + bad);
            assertEquals(ExitCode.STEP_FAILED, r.code());
            assertTrue(r.err().startsWith("error: " + bad + ":2: syntax error"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void thrownErrorNamesFileAndLine() throws Exception {
        Path bad = script("throws.js", "print('before');\n\nthrow new Error('the plan says no');\n");
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("run " + bad);
            assertEquals(ExitCode.STEP_FAILED, r.code());
            assertEquals("before\n", r.out());
            assertEquals("error: " + bad + ":3: Error: the plan says no\n", r.err());
        }
    }

    @Test
    void exitCodesPassThrough() throws Exception {
        try (TestShell shell = new TestShell(home)) {
            assertEquals(3, shell.run("run " + script("three.js", "exit(3)")).code());
            assertEquals(0, shell.run("run " + script("zero.js", "exit()")).code());
            var waited = shell.run("run " + script("wait.js", "waitFor(() => false, {timeout: '50ms', every: '10ms'})"));
            assertEquals(ExitCode.PRECONDITION, waited.code());
            assertTrue(waited.err().contains("wait.js:1: waitFor: condition still false after 50 ms"), waited.err());
            var refused = shell.run("run " + script("refused.js", "connect('source', 'redis://127.0.0.1:1')"));
            assertEquals(ExitCode.CONNECTION, refused.code());
            assertTrue(refused.err().contains("refused.js:1: source 127.0.0.1:1 refused the connection"), refused.err());
            var usage = shell.run("run " + script("usage.js", "\nconnect('sideways', 'redis://127.0.0.1:1')"));
            assertEquals(ExitCode.USAGE, usage.code());
            assertTrue(usage.err().contains("usage.js:2: unknown endpoint role 'sideways'"), usage.err());
            assertEquals(ExitCode.USAGE, shell.run("run /no/such/plan.js").code());
        }
    }

    @Test
    void sandboxDeniesHostClassesFilesAndProcesses() throws Exception {
        try (TestShell shell = new TestShell(home)) {
            for (String escape : new String[] {
                    "Java.type('java.lang.System').exit(9)",
                    "Polyglot.eval('js', '1')",
                    "load('" + home + "/x.js')",
                    "require('fs')",
                    "Packages.java.lang.Runtime.getRuntime()"}) {
                var r = shell.run(escape);
                assertEquals(ExitCode.STEP_FAILED, r.code(), escape + " was allowed: " + r.all());
            }
            assertEquals(0, shell.run("1+1").code(), "the context must survive the attempts");
        }
    }

    @Test
    void interruptStopsARunningScriptAndTheContextSurvives() throws Exception {
        Path loop = script("loop.js", "print('started'); for (;;) {}");
        try (TestShell shell = new TestShell(home)) {
            CompletableFuture<TestShell.Result> run = CompletableFuture.supplyAsync(() -> shell.run("run " + loop));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!run.isDone() && System.nanoTime() < deadline) {
                shell.runtime().scripts().interrupt();
                Thread.sleep(100);
            }
            var r = run.get(30, TimeUnit.SECONDS);
            assertEquals(ExitCode.INTERRUPTED, r.code(), r.all());
            assertTrue(r.err().contains("interrupted"), r.err());
            assertEquals("2\n", shell.run("1+1").out());
        }
    }

    @Test
    void theSameScriptRunsTwiceInOneSession() throws Exception {
        Path plan = script("twice.js", "const greeting = 'hello';\nlet count = 1;\nprint(greeting, count);\n");
        try (TestShell shell = new TestShell(home)) {
            assertEquals("hello 1\n", shell.run("run " + plan).out());
            var again = shell.run("run " + plan);
            assertEquals(0, again.code(), again.all());
            assertEquals("hello 1\n", again.out());
        }
    }

    @Test
    void secondRunReusesTheContext() throws Exception {
        Path counter = script("counter.js", "globalThis.n = (globalThis.n || 0) + 1; print(n)");
        try (TestShell shell = new TestShell(home)) {
            assertEquals("1\n", shell.run("run " + counter).out());
            assertEquals("2\n", shell.run("run " + counter).out());
        }
    }

    @Test
    void runWithJsonPrintsOneObjectPerResult() throws Exception {
        LocalServer server = servers.start(Flavour.REDIS_7);
        Path plan = script("json.js", "connect('source', args.source);\nsource.call('SET', 'k', 'v');\nprint('done');\n");
        try (TestShell shell = new TestShell(home, java.util.Map.of(), true, false)) {
            var r = shell.run("run " + plan + " --arg source=" + server.uri());
            assertEquals(0, r.code(), r.all());
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var lines = r.out().lines().toList();
            assertEquals(4, lines.size(), r.out());
            for (String line : lines) {
                mapper.readTree(line); // every line is one JSON object
            }
            assertEquals("connect source " + server.uri(), mapper.readTree(lines.get(0)).get("step").asText());
            assertEquals("source.call SET k v", mapper.readTree(lines.get(1)).get("step").asText());
            assertEquals("done", mapper.readTree(lines.get(2)).get("print").asText());
            assertEquals("run", mapper.readTree(lines.get(3)).get("command").asText());
        }
    }
}
