package dev.cutover.command;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "unfreeze", description = "Let writes on the source resume (the abort path).",
        footerHeading = "%nExamples:%n", footer = {"  unfreeze", "  unfreeze --yes"})
final class UnfreezeCommand implements ShellCommand {
    @Option(names = "--force", description = "unfreeze even after a repoint (writes to the old source would be lost)")
    boolean force;

    @Option(names = "--yes", description = "do not ask")
    boolean yes;

    @Option(names = "--dry-run", description = "check every precondition and say what would happen; change nothing")
    boolean dryRun;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public CommandResult call(CommandContext context) {
        Duration held = DryRuns.maybe(context, dryRun, () -> Freezing.unfreeze(context.session(), context.console(), force, yes));
        return CommandResult.of("writes on the source resumed; they were held for " + Durations.format(held),
                Map.of("heldMs", held.toMillis()));
    }
}
