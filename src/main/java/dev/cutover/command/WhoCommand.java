package dev.cutover.command;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "who", description = "Who is in this session, and as what.")
final class WhoCommand implements ShellCommand {
    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        List<String> who = context.sharing().who();
        return CommandResult.of(String.join("\n", who) + (context.sharing().isOpen() ? "" : "\n(not shared: run 'share')"),
                Map.of("participants", who));
    }
}
