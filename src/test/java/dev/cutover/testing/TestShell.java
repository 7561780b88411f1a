package dev.cutover.testing;

import dev.cutover.shell.ShellRuntime;
import dev.cutover.shell.StdConsole;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Engine;

/**
 * A cutover session in this JVM, without a terminal, as a pipe would drive it: lines in,
 * exit code, stdout and stderr out. Its files (journal, history) live under {@code home}.
 */
public final class TestShell implements AutoCloseable {
    private static final Supplier<Engine> ENGINE = new Supplier<>() {
        private Engine engine;

        @Override
        public synchronized Engine get() {
            if (engine == null) {
                engine = dev.cutover.script.ScriptEngine.newEngine();
            }
            return engine;
        }
    };

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ShellRuntime runtime;
    private final boolean keepGoing;
    private int outMark;
    private int errMark;

    /** What one call produced. */
    public record Result(int code, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public TestShell(Path home) {
        this(home, Map.of(), false, false);
    }

    public TestShell(Path home, Map<String, String> env, boolean json, boolean keepGoing) {
        this(home, env, json, keepGoing, false);
    }

    /** @param yes as the global --yes: dangerous steps and a script's confirm() go ahead */
    public TestShell(Path home, Map<String, String> env, boolean json, boolean keepGoing, boolean yes) {
        Map<String, String> environment = new HashMap<>(env);
        environment.put("CUTOVER_HOME", home.toString());
        this.runtime = new ShellRuntime(new StdConsole.Options(false, json, false, yes), environment,
                new PrintWriter(out, true), new PrintWriter(err, true), ENGINE, "tester");
        this.keepGoing = keepGoing;
    }

    public Result run(String... lines) {
        int code = runtime.batch(keepGoing).run(List.of(lines));
        String o = out.toString();
        String e = err.toString();
        Result result = new Result(code, o.substring(outMark), e.substring(errMark));
        outMark = o.length();
        errMark = e.length();
        return result;
    }

    public ShellRuntime runtime() {
        return runtime;
    }

    /** Everything printed so far, and the journal file, for "no secret anywhere" checks. */
    public String everything() throws java.io.IOException {
        Path journal = runtime.session().journal().file();
        String journalText = java.nio.file.Files.exists(journal) ? java.nio.file.Files.readString(journal) : "";
        return out + "\n" + err + "\n" + journalText;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
