package dev.cutover.shell;

import dev.cutover.command.CommandContext;
import dev.cutover.command.CommandDispatcher;
import dev.cutover.command.CommandRegistry;
import dev.cutover.command.Sharing;
import dev.cutover.share.BroadcastWriter;
import dev.cutover.share.ShareServer;
import dev.cutover.script.ScriptEngine;
import dev.cutover.session.CutoverDirs;
import dev.cutover.session.Session;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Engine;

/** One session with everything around it: console, commands, script engine. */
public final class ShellRuntime implements AutoCloseable {
    private final Session session;
    private final StdConsole console;
    private final ScriptEngine scripts;
    private final CommandRegistry registry;
    private final LineEvaluator evaluator;
    private final CutoverDirs dirs;
    private final BroadcastWriter out;
    private final BroadcastWriter err;
    private final ShareServer share;

    public ShellRuntime(StdConsole.Options options, Map<String, String> env, PrintWriter out, PrintWriter err,
                        Supplier<Engine> engine, String operator) {
        this.dirs = CutoverDirs.fromEnvironment(env);
        this.out = new BroadcastWriter(out);
        this.err = new BroadcastWriter(err);
        this.console = new StdConsole(new PrintWriter(this.out), new PrintWriter(this.err), options, env);
        this.session = new Session(dirs, operator, Clock.systemDefaultZone());
        this.scripts = new ScriptEngine(engine, session, console);
        this.registry = CommandRegistry.standard();
        ShareServer[] share = new ShareServer[1];
        CommandDispatcher dispatcher = new CommandDispatcher(new CommandContext(session, console, scripts, registry,
                new LazySharing(() -> share[0])));
        scripts.commandsVia(dispatcher::execute);
        this.evaluator = new LineEvaluator(dispatcher, scripts, registry, console, session);
        share[0] = new ShareServer(evaluator, this.out, this.err, () -> "cutover [" + session.state().label() + "]> ",
                session, shareDir(env));
        this.share = share[0];
        session.approvals().announceTo(line -> this.out.say("! " + line + "\n"));
    }

    public Session session() {
        return session;
    }

    public StdConsole console() {
        return console;
    }

    public ScriptEngine scripts() {
        return scripts;
    }

    public LineEvaluator evaluator() {
        return evaluator;
    }

    public CommandRegistry registry() {
        return registry;
    }

    public CutoverDirs dirs() {
        return dirs;
    }

    public BatchRunner batch(boolean keepGoing) {
        return new BatchRunner(evaluator, keepGoing);
    }

    /** Where share puts its socket by default: the user's runtime dir, else a private dir under /tmp. */
    static java.nio.file.Path shareDir(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return java.nio.file.Path.of(runtime, "cutover");
        }
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "cutover-" + System.getProperty("user.name"));
    }

    public Sharing sharing() {
        return share;
    }

    @Override
    public void close() {
        dev.cutover.session.SessionState state = session.state();
        if (state instanceof dev.cutover.session.SessionState.Frozen
                || state instanceof dev.cutover.session.SessionState.Repointed) {
            console.err().println("warning: leaving while writes on the source are held (" + state.label() + "):"
                    + " nobody renews the freeze now, so the source takes writes again within one lease"
                    + (state instanceof dev.cutover.session.SessionState.Repointed ? "; clients were repointed, so run"
                    + " 'stop --demote-source' from a new session now" : ""));
            console.err().flush();
        }
        share.close();
        scripts.close();
        session.close();
    }
}
