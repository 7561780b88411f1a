package dev.cutover.script;

import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.command.Console;
import dev.cutover.command.ErrorReport;
import dev.cutover.command.ExitRequested;
import dev.cutover.command.ScriptRunner;
import dev.cutover.endpoint.Redaction;
import dev.cutover.session.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The session's JavaScript context: created on first use (it takes about a second), then kept,
 * so a second script starts at once. Sandboxed: no host classes, files, processes, threads or
 * environment; the script reaches the world only through {@link ScriptApi}.
 */
public final class ScriptEngine implements ScriptRunner, AutoCloseable {
    private static final String PRELUDE_NAME = "<cutover prelude>";
    private final Supplier<Engine> engine;
    private final Session session;
    private final Console console;
    private Context context;
    private volatile Thread running;
    private java.util.function.ToIntFunction<String> commands = line -> {
        throw CutoverException.usage("cmd() is not available here");
    };

    /** Where {@code cmd('…')} sends a command line (the session's dispatcher). Set once, at wiring. */
    public void commandsVia(java.util.function.ToIntFunction<String> dispatcher) {
        this.commands = dispatcher;
    }

    public ScriptEngine(Supplier<Engine> engine, Session session, Console console) {
        this.engine = engine;
        this.session = session;
        this.console = console;
    }

    /** A process-wide engine shared by every context; no JIT warning on a stock JDK. */
    public static Engine newEngine() {
        return Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    }

    private synchronized Context context() {
        if (context == null) {
            OutputStream out = new ConsoleStream(console, false);
            OutputStream err = new ConsoleStream(console, true);
            context = Context.newBuilder("js")
                    .engine(engine.get())
                    .allowHostAccess(HostAccess.EXPLICIT)
                    .allowHostClassLookup(name -> false)
                    .allowIO(IOAccess.NONE)
                    .allowCreateProcess(false)
                    .allowCreateThread(false)
                    .allowNativeAccess(false)
                    .allowEnvironmentAccess(EnvironmentAccess.NONE)
                    .allowPolyglotAccess(PolyglotAccess.NONE)
                    .in(InputStream.nullInputStream())
                    .out(out)
                    .err(err)
                    .option("js.load", "false")
                    .option("js.print", "false")
                    .build();
            Value install = context.eval(Source.newBuilder("js", prelude(), PRELUDE_NAME).buildLiteral());
            install.execute(new ScriptApi(session, console, line -> commands.applyAsInt(line)));
        }
        return context;
    }

    /** Creates the context now (e.g. in the background while the operator types). */
    public void warmUp() {
        context();
    }

    @Override
    public int runFile(Path file, Map<String, String> args) {
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CutoverException.usage("cannot read script '" + file + "': " + e.getMessage());
        }
        // Each file gets a scope of its own, so its top-level const/let do not clash with the
        // previous run's in the shared context (globalThis still carries state on purpose).
        // The wrapper stands on the first line, so line numbers in errors stay the file's.
        Source source = Source.newBuilder("js", "(function () {" + code + "\n})();", file.toString()).buildLiteral();
        return execute(() -> {
            Context c = context();
            c.getBindings("js").putMember("args", GuestValues.toGuest(Map.copyOf(args)));
            c.eval(source);
            return null;
        }, false);
    }

    @Override
    public int evalLine(String code) {
        Source source = Source.newBuilder("js", code, "<shell>").buildLiteral();
        return execute(() -> {
            Value result = context().eval(source);
            boolean undefined = result.isNull() && "undefined".equals(result.toString());
            if (!undefined) {
                Value show = context().getBindings("js").getMember("__show");
                console.out().println(show.execute(result).asString());
                console.out().flush();
            }
            return null;
        }, true);
    }

    private int execute(Supplier<Void> body, boolean atPrompt) {
        running = Thread.currentThread();
        try {
            body.get();
            return ExitCode.OK;
        } catch (PolyglotException e) {
            return report(e, atPrompt);
        } finally {
            running = null;
            Thread.interrupted();
        }
    }

    private int report(PolyglotException e, boolean atPrompt) {
        if (e.isHostException()) {
            Throwable host = e.asHostException();
            if (host instanceof ScriptExit exit) {
                if (atPrompt) {
                    throw new ExitRequested(exit.code());
                }
                return exit.code();
            }
            if (host instanceof CutoverException ce) {
                return ErrorReport.print(console, located(ce, e));
            }
            return ErrorReport.print(console, host);
        }
        if (e.isExit()) {
            return e.getExitStatus();
        }
        if (e.isInterrupted() || e.isCancelled()) {
            return ErrorReport.print(console, new CutoverException.Interrupted(
                    "interrupted; the servers are as the last finished step left them (session state: "
                            + session.state().label() + ")"));
        }
        String where = e.getSourceLocation() != null ? location(e.getSourceLocation()) : guestLocation(e);
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        String what = e.isSyntaxError() ? "syntax error: " + message : message;
        return ErrorReport.print(console, CutoverException.failed(where + Redaction.line(String.valueOf(what))));
    }

    /** "file:line: " of the innermost frame in the operator's own code (not the prelude). */
    private static String guestLocation(PolyglotException e) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && !section.getSource().isInternal()
                    && !section.getSource().getName().equals(PRELUDE_NAME)) {
                return location(section);
            }
        }
        return "";
    }

    private static CutoverException located(CutoverException ce, PolyglotException e) {
        String where = guestLocation(e);
        if (where.isEmpty()) {
            return ce;
        }
        String message = where + ce.getMessage();
        return switch (ce) {
            case CutoverException.Usage u -> CutoverException.usage(message);
            case CutoverException.Connection c -> CutoverException.connection(message, c.getCause());
            case CutoverException.Precondition p -> CutoverException.precondition(message);
            case CutoverException.Interrupted i -> new CutoverException.Interrupted(message);
            case CutoverException.StepFailed f -> CutoverException.failed(message, f.getCause());
        };
    }

    private static String location(SourceSection section) {
        if (section == null) {
            return "";
        }
        return section.getSource().getName() + ":" + section.getStartLine() + ": ";
    }

    /** Ctrl-C: stops the running script or step; the context stays usable. */
    public void interrupt() {
        Thread thread = running;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        Context c;
        synchronized (this) {
            c = context;
        }
        if (c != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    c.interrupt(Duration.ofSeconds(10));
                } catch (TimeoutException | RuntimeException ignored) {
                    // The script is stuck in host code; the thread interrupt above ends that.
                }
            });
        }
    }

    private static String prelude() {
        try (InputStream in = ScriptEngine.class.getResourceAsStream("prelude.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the script prelude is missing from the jar", e);
        }
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.close(true);
            context = null;
        }
    }

    /** Sends what a script prints (console.log) to the operator's console. */
    private static final class ConsoleStream extends OutputStream {
        private final Console console;
        private final boolean error;

        ConsoleStream(Console console, boolean error) {
            this.console = console;
            this.error = error;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            var writer = error ? console.err() : console.out();
            writer.write(new String(b, off, len, StandardCharsets.UTF_8));
            writer.flush();
        }
    }
}
