package dev.cutover.command;

import dev.cutover.endpoint.Role;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "disconnect", description = "Close the connection to the source or the target (the server is not changed).",
        footerHeading = "%nExample:%n", footer = "  disconnect target")
final class DisconnectCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<role>", description = "source or target",
            completionCandidates = RoleCandidates.class)
    String role;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        Role parsed = Role.parse(role);
        context.session().disconnect(parsed);
        return CommandResult.of(parsed.label() + " disconnected", Map.of("role", parsed.label()));
    }
}
