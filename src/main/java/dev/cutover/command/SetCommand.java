package dev.cutover.command;

import dev.cutover.CutoverException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "set", description = "Change a session setting: approvals 1|2.",
        footerHeading = "%nExample:%n", footer = "  set approvals 2     every dangerous step waits for a second operator")
final class SetCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<setting>", description = "approvals")
    String setting;

    @Parameters(index = "1", paramLabel = "<value>")
    String value;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (!setting.equals("approvals")) {
            throw CutoverException.usage("unknown setting '" + setting + "': the one there is is 'approvals'");
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw CutoverException.usage("approvals takes 1 or 2, not '" + value + "'");
        }
        context.session().approvals().require(n, context.session().actor());
        return CommandResult.of(n == 2 ? "approvals on: every dangerous step waits for another operator's 'approve'"
                : "approvals off", Map.of("approvals", n));
    }
}
