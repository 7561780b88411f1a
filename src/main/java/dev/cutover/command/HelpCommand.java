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
        if ("cutover".equals(command) || "strategies".equals(command)) {
            return CommandResult.of(STRATEGIES, Map.of("help", STRATEGIES));
        }
        if (command != null) {
            CommandRegistry.Entry entry = registry.find(command).orElseThrow(() ->
                    CutoverException.usage("no command '" + command + "'" + Suggestions.closest(command, registry.names())
                            .map(n -> ": did you mean '" + n + "'?").orElse(": type 'help' for the list")));
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
        sb.append("'help <command>' explains one command with examples; 'help cutover' walks through a whole cutover.");
        return CommandResult.of(sb.toString(), Map.of("commands", data));
    }

    static final String STRATEGIES = """
            Two ways to cut over. Both start the same way:

              connect source redis://old-host:6379
              connect target redis://new-host:6379
              check                         fix every ✗ line first
              replicate                     full copy, then streaming
              wait-lag                      until the target has caught up

            1. Update connection parameters (read-heavy workloads; apps restart on the target):
              freeze-writes --max 30s       writes wait on the source, reads go on
              repoint --via exec --command 'your-deploy-tool set REDIS_URL=$CUTOVER_TARGET_URI'
              stop --demote-source          target is the primary; the old source never takes writes again
              (the same as a script: bin/cutover run scripts/update-connection-params.js --arg source=… --arg target=… --arg repoint='…')

            2. Through HAProxy (clients already talk to HAProxy):
              freeze-writes --max 30s
              repoint --via haproxy --socket /run/haproxy/admin.sock --backend redis --server primary
              stop --demote-source

            If anything goes wrong before repoint: unfreeze (writes resume on the source; nothing moved).""";

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
