package dev.cutover.command;

import dev.cutover.session.StopSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stop", description = "End replication: the target becomes a primary; restores the configs cutover changed.",
        footerHeading = "%nExamples:%n", footer = {"  stop", "  stop --yes", "  stop --demote-source"})
final class StopCommand implements ShellCommand {
    @Mixin
    StepOptions step;

    @Option(names = "--demote-source", description = "after a repoint: make the old source a replica of the target"
            + " (or refuse writes where it cannot follow), then unfreeze it")
    boolean demoteSource;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        StopSummary summary = DryRuns.maybe(context, step.dryRun,
                () -> Stopping.stop(context.session(), context.console(), step.yes, demoteSource));
        return CommandResult.of(text(summary), Stopping.data(summary));
    }

    static String text(StopSummary s) {
        StringBuilder sb = new StringBuilder("replication stopped: the target is a primary now\n");
        sb.append("  syncing    ").append(Durations.format(s.syncing())).append('\n');
        sb.append("  streaming  ").append(Durations.format(s.streaming())).append(", ")
                .append(dev.cutover.Figures.count(s.bytesStreamed())).append(" bytes of changes\n");
        sb.append("  target     ");
        s.targetKeys().forEach((db, n) -> sb.append(db).append('=').append(dev.cutover.Figures.count(n)).append(' '));
        if (!s.restoredConfigs().isEmpty()) {
            sb.append("\n  restored   ").append(String.join(", ", s.restoredConfigs())).append(" on the target");
        }
        sb.append("\n  source     ").append(s.sourceAfter());
        if (!s.link().isEmpty()) {
            sb.append("\n  link       ").append(s.link());
        }
        if (s.lagBytesAtStop() > 0) {
            sb.append("\n! stopped ").append(s.lagBytesAtStop()).append(" bytes behind the source: those writes are not on the target");
        }
        return sb.toString().stripTrailing();
    }
}
