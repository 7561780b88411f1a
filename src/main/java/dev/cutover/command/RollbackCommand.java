package dev.cutover.command;

import dev.cutover.session.RollbackReport;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = "After a cutover, turn around: the new primary becomes the source again.",
        footerHeading = "%nExample (then the same steps as the cutover):%n",
        footer = {"  rollback", "  freeze-writes", "  repoint --via exec --command '…'", "  stop --demote-source",
                "  (or: bin/cutover run scripts/rollback.js --arg source=… --arg target=… --arg repoint='…')"})
final class RollbackCommand implements ShellCommand {
    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        RollbackReport report = context.session().rollback();
        return CommandResult.of("rolling back: the source is now " + report.newSource() + " (the primary clients use)"
                + " and the target " + report.newTarget() + ", which already replicates it (state "
                + context.session().state().label() + ").\nNext, the same steps as the cutover: freeze-writes,"
                + " repoint (back to the old source), stop --demote-source.",
                Map.of("source", report.newSource(), "target", report.newTarget()));
    }
}
