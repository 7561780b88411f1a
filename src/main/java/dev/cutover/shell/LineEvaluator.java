package dev.cutover.shell;

import dev.cutover.ExitCode;
import dev.cutover.command.CommandDispatcher;
import dev.cutover.command.CommandRegistry;
import dev.cutover.command.Console;
import dev.cutover.command.ScriptRunner;
import dev.cutover.command.Suggestions;
import dev.cutover.command.Tokenizer;

/** Decides what a line is: a command when its first word is one, JavaScript otherwise. */
public final class LineEvaluator {
    private final CommandDispatcher commands;
    private final ScriptRunner scripts;

    private final CommandRegistry registry;
    private final Console console;

    public LineEvaluator(CommandDispatcher commands, ScriptRunner scripts, CommandRegistry registry, Console console) {
        this.commands = commands;
        this.scripts = scripts;
        this.registry = registry;
        this.console = console;
    }

    /** Runs one line and returns its exit code. Blank lines and '#' comments do nothing. */
    public int evaluate(String line) {
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
