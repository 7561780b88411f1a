package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.replication.Lag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lag", description = "How far the target is behind: bytes, seconds, keys per db, link state.",
        footerHeading = "%nExamples:%n", footer = {"  lag", "  lag --watch", "  lag --json"})
final class LagCommand implements ShellCommand {
    @Option(names = "--watch", description = "refresh in place until Ctrl-C (terminal only)")
    boolean watch;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (!watch) {
            Lag lag = context.session().lag();
            return CommandResult.of(LagRendering.text(lag), LagRendering.data(lag));
        }
        Console console = context.console();
        if (!console.interactive()) {
            throw CutoverException.usage("lag --watch needs a terminal: use 'lag' or 'wait-lag' in scripts");
        }
        Lag lag = context.session().lag();
        int lines = 0;
        while (!Thread.currentThread().isInterrupted()) {
            lag = context.session().lag();
            String text = LagRendering.text(lag);
            console.out().print((lines > 0 ? "\033[" + lines + "F\033[J" : "") + text + "\n");
            console.out().flush();
            lines = (int) text.lines().count();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                break;
            }
        }
        Thread.interrupted();
        return CommandResult.of("", LagRendering.data(lag));
    }
}
