package dev.cutover.command;

import dev.cutover.replication.ReplicateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "exit", aliases = "quit", description = "Leave the shell (Ctrl-D does the same).")
final class ExitCommand implements ShellCommand {
    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        var mode = context.session().link().map(l -> l.mode()).orElse(ReplicateOptions.Mode.NATIVE);
        if (mode != ReplicateOptions.Mode.NATIVE && context.console().interactive() && !context.console().assumeYes()
                && !context.console().confirm(lower(mode) + " replication runs inside this shell and stops when it"
                        + " leaves" + (mode == ReplicateOptions.Mode.PSYNC
                        ? " ('replicate --mode psync --resume' continues it later)" : "") + ". Leave?")) {
            return CommandResult.of("still here; " + lower(mode) + " replication goes on");
        }
        throw new ExitRequested(0);
    }

    private static String lower(ReplicateOptions.Mode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
