package dev.cutover.command;

import dev.cutover.session.JournalEntry;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "journal", description = "Show the last steps of this session's journal.",
        footerHeading = "%nExamples:%n", footer = {"  journal", "  journal -n 50", "  journal --script > runbook.js"})
final class JournalCommand implements ShellCommand {
    @Option(names = "--script", description = "print the session as a script 'cutover run' can replay (secrets become --arg)")
    boolean script;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "how many lines (default ${DEFAULT-VALUE})")
    int lines;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (script) {
            String text = dev.cutover.session.RunbookWriter.script(context.session().journal().tail(Integer.MAX_VALUE));
            return CommandResult.of(text.stripTrailing(), Map.of("script", text));
        }
        List<JournalEntry> entries = context.session().journal().tail(lines);
        StringBuilder sb = new StringBuilder();
        for (JournalEntry e : entries) {
            sb.append(String.format("%s  %-10s %-8s %6dms  %s%s%n", e.time(), e.operator(), e.state(), e.durationMs(),
                    e.input(), e.exitCode() == 0 ? "" : "  → " + e.outcome()));
        }
        if (entries.isEmpty()) {
            sb.append("the journal is empty: " + context.session().journal().file());
        }
        return CommandResult.of(sb.toString().stripTrailing(),
                Map.of("file", context.session().journal().file().toString(), "entries", entries));
    }
}
