package dev.cutover.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "exit", aliases = "quit", description = "Leave the shell (Ctrl-D does the same).")
final class ExitCommand implements ShellCommand {
    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        throw new ExitRequested(0);
    }
}
