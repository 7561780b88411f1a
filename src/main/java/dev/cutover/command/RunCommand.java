package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run a cutover script (JavaScript) in this session.",
        footerHeading = "%nExamples:%n",
        footer = {"  run scripts/update-connection-params.js --arg source=redis://a:6379 --arg target=redis://b:6379",
                "  run plan.js --arg dry=true"})
final class RunCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<file.js>", description = "the script to run")
    Path file;

    @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "an argument the script reads as args.KEY (repeatable)")
    List<String> args = List.of();

    @Option(names = "--arg-env", paramLabel = "KEY=VAR",
            description = "an argument read from environment variable VAR, for secrets (never on a command line; repeatable)")
    List<String> argsFromEnv = List.of();

    @Option(names = "--dry-run", description = "check every precondition and say what would happen; change nothing")
    boolean dryRun;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (!Files.isRegularFile(file)) {
            throw CutoverException.usage("script '" + file + "' does not exist or is not a file");
        }
        int code = DryRuns.maybe(context, dryRun, () -> context.scripts().runFile(file,
                withEnvironment(parseArgs(args), argsFromEnv, context.console())));
        if (code != ExitCode.OK) {
            throw new ScriptFailed(code);
        }
        return CommandResult.empty();
    }

    /** Adds each --arg-env KEY=VAR as args.KEY, its value from the environment. */
    static Map<String, String> withEnvironment(Map<String, String> args, List<String> fromEnv, Console console) {
        Map<String, String> all = new LinkedHashMap<>(args);
        for (String spec : fromEnv) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw CutoverException.usage("--arg-env '" + spec + "' must be KEY=VAR, e.g. source_password=SOURCE_PASSWORD");
            }
            String var = spec.substring(eq + 1);
            String value = console.env(var).orElseThrow(() -> CutoverException.usage("--arg-env " + spec
                    + ": the variable " + var + " is not set; export it first"));
            all.put(spec.substring(0, eq), value);
        }
        return all;
    }

    static Map<String, String> parseArgs(List<String> args) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw CutoverException.usage("--arg '" + arg.replaceAll("=.*", "=…") + "' must be KEY=VALUE");
            }
            parsed.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return parsed;
    }
}
