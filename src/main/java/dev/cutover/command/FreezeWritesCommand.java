package dev.cutover.command;

import dev.cutover.freeze.FreezeReport;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "freeze-writes", description = "Hold writes on the source (bounded, self-expiring) and wait for the target to catch up.",
        footerHeading = "%nExamples:%n", footer = {"  freeze-writes", "  freeze-writes --max 30s --lease 2s --yes"})
final class FreezeWritesCommand implements ShellCommand {
    @Option(names = "--max", paramLabel = "DURATION", defaultValue = "60s", description = "never hold writes longer (default ${DEFAULT-VALUE})")
    Duration max;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "5s",
            description = "pause length, renewed while frozen: writes resume this soon if the shell dies (default ${DEFAULT-VALUE})")
    Duration lease;

    @Option(names = "--catchup-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "how long to wait for the target to apply the frozen offset (default ${DEFAULT-VALUE})")
    Duration catchUp;

    @Option(names = "--via", paramLabel = "WAY", defaultValue = "server", description = "server (CLIENT PAUSE WRITE) or proxy")
    String via;

    @Mixin
    StepOptions step;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        FreezeReport report = DryRuns.maybe(context, step.dryRun,
                () -> Freezing.freeze(context.session(), context.console(), via, max, lease, catchUp, step.yes));
        return CommandResult.of(Freezing.text(report), Freezing.data(report));
    }
}
