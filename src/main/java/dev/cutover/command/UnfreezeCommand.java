package dev.cutover.command;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "unfreeze", description = "Let writes on the source resume (the abort path).",
        footerHeading = "%nExamples:%n", footer = {"  unfreeze", "  unfreeze --yes"})
final class UnfreezeCommand implements ShellCommand {
    @Option(names = "--force", description = "unfreeze even after a repoint (writes to the old source would be lost)")
    boolean force;

    @Mixin
    StepOptions step;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        Duration held = DryRuns.maybe(context, step.dryRun, () -> Freezing.unfreeze(context.session(), context.console(), force, step.yes));
        return CommandResult.of("writes on the source resumed; they were held for " + Durations.format(held),
                Map.of("heldMs", held.toMillis()));
    }
}
