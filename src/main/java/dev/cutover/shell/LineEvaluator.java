package dev.cutover.shell;

import dev.cutover.ExitCode;
import dev.cutover.command.CommandDispatcher;
import dev.cutover.command.ScriptRunner;

/** Decides what a line is: a command when its first word is one, JavaScript otherwise. */
public final class LineEvaluator {
    private final CommandDispatcher commands;
    private final ScriptRunner scripts;

    public LineEvaluator(CommandDispatcher commands, ScriptRunner scripts) {
        this.commands = commands;
        this.scripts = scripts;
    }

    /** Runs one line and returns its exit code. Blank lines and '#' comments do nothing. */
    public int evaluate(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return ExitCode.OK;
        }
        return commands.isCommand(trimmed) ? commands.execute(trimmed) : scripts.evalLine(trimmed);
    }
}
