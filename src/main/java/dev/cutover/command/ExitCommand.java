package dev.cutover.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "exit", aliases = "quit", description = "Leave the shell (Ctrl-D does the same).")
final class ExitCommand implements ShellCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public CommandResult call(CommandContext context) {
        throw new ExitRequested(0);
    }
}
