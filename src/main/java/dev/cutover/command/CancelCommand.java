package dev.cutover.command;

import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Stop a pending dangerous step before it runs (anyone taking part may).",
        footerHeading = "%nExamples:%n", footer = {"  cancel", "  cancel 3"})
final class CancelCommand implements ShellCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<id>", description = "which pending step (when several are)")
    Integer id;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        context.session().approvals().cancel(Optional.ofNullable(id), context.session().actor());
        return CommandResult.of("", Map.of());
    }
}
