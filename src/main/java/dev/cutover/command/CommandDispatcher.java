package dev.cutover.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs one command line: parse, call, journal, render. */
public final class CommandDispatcher {
    private final CommandContext context;

    public CommandDispatcher(CommandContext context) {
        this.context = context;
    }

    public boolean isCommand(String line) {
        return context.registry().isCommand(Tokenizer.firstWord(line));
    }

    /** Runs the line and returns its exit code; errors are printed, never thrown (but exit). */
    public int execute(String line) {
        try {
            return run(line);
        } catch (ExitRequested exit) {
            throw exit;
        } catch (ScriptFailed failed) {
            return failed.exitCode();
        } catch (RuntimeException e) {
            boolean lineJson = !context.console().json() && line.contains("--json")
                    && safeWords(line).contains("--json");
            return ErrorReport.print(lineJson ? new JsonConsole(context.console()) : context.console(), e);
        }
    }

    private static List<String> safeWords(String line) {
        try {
            return Tokenizer.split(line);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private int run(String line) {
        List<String> words = new ArrayList<>(Tokenizer.split(line));
        boolean json = context.console().json() | words.remove("--json");
        CommandRegistry.Entry entry = context.registry().find(words.getFirst()).orElseThrow(() ->
                CutoverException.usage("unknown command '" + words.getFirst() + "'"
                        + Suggestions.closest(words.getFirst(), context.registry().names())
                                .map(n -> ": did you mean '" + n + "'?").orElse(": type 'help' for the list")));
        ShellCommand command = entry.factory().get();
        CommandLine cl = CommandFactory.commandLine(command);
        try {
            cl.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            String hint = "";
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
                List<String> options = cl.getCommandSpec().optionsMap().keySet().stream().toList();
                hint = Suggestions.closest(unmatched.getUnmatched().getFirst(), options)
                        .map(o -> " (did you mean " + o + "?)").orElse("");
            }
            throw CutoverException.usage(entry.name() + ": " + lowerFirst(e.getMessage()) + hint
                    + " (usage: " + context.registry().synopsis(entry.name()) + "; see 'help " + entry.name() + "')");
        }
        if (cl.isUsageHelpRequested()) {
            context.console().out().println(HelpCommand.helpFor(context.registry(), entry));
            context.console().out().flush();
            return ExitCode.OK;
        }
        CommandContext effective = json && !context.console().json()
                ? new CommandContext(context.session(), new JsonConsole(context.console()), context.scripts(), context.registry(),
                        context.sharing())
                : context;
        CommandResult result = entry.journaled()
                ? context.session().journal().record(context.session().operator(), line, () -> command.call(effective))
                : command.call(effective);
        render(entry.name(), result, json);
        return ExitCode.OK;
    }

    private void render(String name, CommandResult result, boolean json) {
        var out = context.console().out();
        if (json) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("command", name);
            obj.put("ok", true);
            obj.putAll(result.data());
            try {
                out.println(JsonOutput.mapper().writeValueAsString(obj));
            } catch (JsonProcessingException e) {
                throw CutoverException.failed("cannot render the result as JSON: " + e.getMessage());
            }
        } else if (!result.text().isEmpty()) {
            out.println(result.text());
        }
        out.flush();
    }

    private static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? "" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
