package dev.cutover.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "demote", description = "Make a participant an observer, at once: their pending steps are cancelled (owner only).",
        footerHeading = "%nExample:%n", footer = "  demote bob")
final class DemoteCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<who>", description = "a participant's name or #number (see 'who'), or a credential")
    String who;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        return RoleChange.apply(context, who, false);
    }
}
