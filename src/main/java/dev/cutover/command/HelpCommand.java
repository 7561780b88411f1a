package dev.cutover.command;

import dev.cutover.CutoverException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "help", description = "List the commands, or explain one with examples.",
        footerHeading = "%nExamples:%n", footer = {"  help", "  help connect"})
final class HelpCommand implements ShellCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<command>", description = "the command to explain",
            completionCandidates = CommandNames.class)
    String command;

    @Override
    public CommandResult call(CommandContext context) {
        CommandRegistry registry = context.registry();
        if (command != null) {
            CommandRegistry.Entry entry = registry.find(command).orElseThrow(() ->
                    CutoverException.usage("no command '" + command + "': type 'help' for the list"));
            return CommandResult.of(helpFor(registry, entry), Map.of("help", helpFor(registry, entry)));
        }
        StringBuilder sb = new StringBuilder();
        Map<String, Object> data = new LinkedHashMap<>();
        for (CommandRegistry.Group group : CommandRegistry.Group.values()) {
            List<CommandRegistry.Entry> entries = registry.all().stream().filter(e -> e.group() == group).toList();
            if (entries.isEmpty()) {
                continue;
            }
            sb.append(group.title()).append('\n');
            for (CommandRegistry.Entry e : entries) {
                sb.append(String.format("  %-12s %s%n", e.name(), e.summary()));
                data.put(e.name(), e.summary());
            }
        }
        sb.append("\nAny other line is JavaScript: 1+2, status().state, source.call('INFO','server').\n");
        sb.append("'help <command>' explains one command with examples.");
        return CommandResult.of(sb.toString(), Map.of("commands", data));
    }

    static String helpFor(CommandRegistry registry, CommandRegistry.Entry entry) {
        CommandLine cl = CommandFactory.commandLine(entry.factory().get());
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    }

    /** Completion candidates: every command name. */
    static final class CommandNames extends java.util.AbstractList<String> {
        private final List<String> names = CommandRegistry.standard().names();

        @Override
        public String get(int index) {
            return names.get(index);
        }

        @Override
        public int size() {
            return names.size();
        }
    }
}
