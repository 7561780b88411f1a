package dev.cutover.shell;

import dev.cutover.ExitCode;
import dev.cutover.command.CommandDispatcher;
import dev.cutover.command.CommandRegistry;
import dev.cutover.command.Console;
import dev.cutover.command.ScriptRunner;
import dev.cutover.command.Suggestions;
import dev.cutover.command.Tokenizer;
import dev.cutover.session.Actor;

/** Decides what a line is: a command when its first word is one, JavaScript otherwise. */
public final class LineEvaluator {
    private final CommandDispatcher commands;
    private final ScriptRunner scripts;

    private final CommandRegistry registry;
    private final Console console;
    private final dev.cutover.session.Session session;

    public LineEvaluator(CommandDispatcher commands, ScriptRunner scripts, CommandRegistry registry, Console console,
                         dev.cutover.session.Session session) {
        this.session = session;
        this.commands = commands;
        this.scripts = scripts;
        this.registry = registry;
        this.console = console;
    }

    /** Told of every line before it runs, with who typed it (a shared session echoes it to all). */
    public interface LineListener {
        /** {@code who} is null for the owner's own terminal. */
        void onLine(Actor who, String line);

        void afterLine();
    }

    private final java.util.concurrent.locks.ReentrantLock turn = new java.util.concurrent.locks.ReentrantLock(true);
    private volatile LineListener listener;

    public void listener(LineListener value) {
        this.listener = value;
    }

    /** Runs one line typed at the owner's terminal and returns its exit code. Blank lines and '#' comments do nothing. */
    public int evaluate(String line) {
        return evaluate(line, null, () -> true);
    }

    /**
     * Runs a line typed by {@code who} (null: the owner). Lines run one at a time, in the order
     * they arrive, whoever typed them. {@code mayRun} is asked again once the line's turn has
     * come, so a participant demoted or removed while their line waited runs nothing.
     */
    public int evaluate(String line, Actor who, java.util.function.BooleanSupplier mayRun) {
        String first = Tokenizer.firstWord(line.strip());
        if (first.equals("approve") || first.equals("cancel") || first.equals("who")) {
            // These must get through while a step waits for approval holding the turn.
            if (!mayRun.getAsBoolean()) {
                return refused();
            }
            LineListener l = listener;
            if (l != null) {
                l.onLine(who, line.strip());
            }
            return who == null ? evaluateNow(line) : session.actingAs(who, () -> evaluateNow(line));
        }
        turn.lock();
        try {
            if (!mayRun.getAsBoolean()) {
                return refused();
            }
            LineListener l = listener;
            if (l != null && !line.isBlank()) {
                l.onLine(who, line.strip());
            }
            int code = who == null ? evaluateNow(line) : session.actingAs(who, () -> evaluateNow(line));
            if (l != null && !line.isBlank()) {
                l.afterLine();
            }
            return code;
        } finally {
            turn.unlock();
        }
    }

    private static int refused() {
        return ExitCode.PRECONDITION;
    }

    private int evaluateNow(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return ExitCode.OK;
        }
        if (commands.isCommand(trimmed)) {
            return commands.execute(trimmed);
        }
        int code = scripts.evalLine(trimmed);
        if (code != ExitCode.OK) {
            String first = Tokenizer.firstWord(trimmed);
            Suggestions.closest(first, registry.names()).ifPresent(name -> {
                console.err().println("did you mean '" + name + "'? (a line whose first word is not a command is JavaScript)");
                console.err().flush();
            });
        }
        return code;
    }
}
