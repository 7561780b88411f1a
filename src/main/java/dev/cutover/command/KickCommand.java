package dev.cutover.command;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "kick", description = "Remove someone from this shared session, for good (owner only).",
        footerHeading = "%nExamples:%n", footer = {"  kick bob", "  kick #3"})
final class KickCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<who>", description = "a participant's name or #number (see 'who'), or a credential")
    String who;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        return CommandResult.of(context.sharing().remove(who), Map.of("removed", who));
    }
}
