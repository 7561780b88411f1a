package dev.cutover;

import java.util.Locale;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion for the {@code cutover} command, generated from the same picocli definitions
 * that parse it: bash (picocli's generator), zsh (loads that same bash file through bashcompinit)
 * and fish.
 * The checked-in files under completions/ are these outputs; a test fails when they drift.
 */
final class CompletionScripts {
    private CompletionScripts() {
    }

    static String generate(String shell, CommandLine cli) {
        return switch (shell.toLowerCase(Locale.ROOT)) {
            case "bash" -> AutoComplete.bash("cutover", cli);
            // zsh runs the bash function through bashcompinit: the same file, never a second copy.
            case "zsh" -> "#compdef cutover\n# zsh: 'source' this from ~/.zshrc; it loads cutover.bash beside it.\n"
                    + "autoload -U +X compinit && compinit -u\nautoload -U +X bashcompinit && bashcompinit\n"
                    + "source \"${${(%):-%x}:A:h}/cutover.bash\"\n";
            case "fish" -> fish(cli);
            default -> throw CutoverException.usage("no completion for '" + shell + "': use bash, zsh or fish");
        };
    }

    private static String fish(CommandLine cli) {
        StringBuilder sb = new StringBuilder("# fish completion for cutover, generated from its command definitions.\n");
        sb.append("complete -c cutover -f\n");
        CommandSpec root = cli.getCommandSpec();
        for (OptionSpec option : root.options()) {
            sb.append(fishOption(option, "not __fish_seen_subcommand_from "
                    + String.join(" ", root.subcommands().keySet())));
        }
        for (Map.Entry<String, CommandLine> sub : root.subcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            sb.append("complete -c cutover -n '__fish_use_subcommand' -a ").append(sub.getKey())
                    .append(" -d ").append(quote(first(spec.usageMessage().description()))).append('\n');
            String when = "__fish_seen_subcommand_from " + sub.getKey();
            for (OptionSpec option : spec.options()) {
                sb.append(fishOption(option, when));
            }
            if (!spec.positionalParameters().isEmpty()
                    && spec.positionalParameters().getFirst().type() == java.nio.file.Path.class) {
                sb.append("complete -c cutover -n '").append(when).append("' -F\n");
            }
        }
        return sb.toString();
    }

    private static String fishOption(OptionSpec option, String condition) {
        StringBuilder sb = new StringBuilder("complete -c cutover -n '").append(condition).append("'");
        for (String name : option.names()) {
            if (name.startsWith("--")) {
                sb.append(" -l ").append(name.substring(2));
            } else if (name.startsWith("-") && name.length() == 2) {
                sb.append(" -s ").append(name.substring(1));
            }
        }
        if (option.arity().max() > 0) {
            sb.append(" -r");
        }
        return sb.append(" -d ").append(quote(first(option.description()))).append('\n').toString();
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? "" : lines[0];
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
