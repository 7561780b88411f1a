package dev.cutover.shell;

import dev.cutover.command.CommandContext;
import dev.cutover.command.CommandDispatcher;
import dev.cutover.command.CommandRegistry;
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

    public ShellRuntime(StdConsole.Options options, Map<String, String> env, PrintWriter out, PrintWriter err,
                        Supplier<Engine> engine, String operator) {
        this.dirs = CutoverDirs.fromEnvironment(env);
        this.console = new StdConsole(out, err, options, env);
        this.session = new Session(dirs, operator, Clock.systemDefaultZone());
        this.scripts = new ScriptEngine(engine, session, console);
        this.registry = CommandRegistry.standard();
        CommandDispatcher dispatcher = new CommandDispatcher(new CommandContext(session, console, scripts, registry));
        scripts.commandsVia(dispatcher::execute);
        this.evaluator = new LineEvaluator(dispatcher, scripts, registry, console);
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

    @Override
    public void close() {
        scripts.close();
        session.close();
    }
}
