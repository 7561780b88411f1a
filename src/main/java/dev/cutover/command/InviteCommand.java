package dev.cutover.command;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invite", description = "Issue a credential of one person's own for this shared session (owner only).",
        footerHeading = "%nExamples:%n", footer = {"  invite bob", "  invite carol --observer"})
final class InviteCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<holder>", description = "who the credential is for (its identity over TLS)")
    String holder;

    @Option(names = "--observer", description = "the credential sees everything and runs nothing")
    boolean observer;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        String text = context.sharing().invite(holder, observer);
        return CommandResult.of(text, Map.of("holder", holder, "role", observer ? "observer" : "operator"));
    }
}
