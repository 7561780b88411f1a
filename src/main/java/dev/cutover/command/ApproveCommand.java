package dev.cutover.command;

import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "approve", description = "Let another operator's pending dangerous step go ahead.",
        footerHeading = "%nExamples:%n", footer = {"  approve", "  approve 3"})
final class ApproveCommand implements ShellCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<id>", description = "which pending step (when several are)")
    Integer id;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        context.session().approvals().approve(Optional.ofNullable(id), context.session().actor());
        return CommandResult.of("", Map.of());
    }
}
