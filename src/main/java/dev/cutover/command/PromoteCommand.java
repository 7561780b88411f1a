package dev.cutover.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "promote", description = "Let a participant run commands and approve steps (owner only).",
        footerHeading = "%nExample:%n", footer = "  promote carol")
final class PromoteCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<who>", description = "a participant's name or #number (see 'who'), or a credential")
    String who;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        return RoleChange.apply(context, who, true);
    }
}
