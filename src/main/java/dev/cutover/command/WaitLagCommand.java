package dev.cutover.command;

import dev.cutover.replication.Lag;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "wait-lag", description = "Wait until the target is caught up; exit 3 with the last figures on timeout.",
        footerHeading = "%nExamples:%n", footer = {"  wait-lag", "  wait-lag --max-bytes 1024 --timeout 2m"})
final class WaitLagCommand implements ShellCommand {
    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "0", description = "caught up means at most N bytes behind (default 0)")
    long maxBytes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", description = "give up after this long (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (maxBytes < 0) {
            throw dev.cutover.CutoverException.usage("--max-bytes must not be negative");
        }
        Lag lag = context.session().waitLag(maxBytes, timeout);
        return CommandResult.of("caught up: " + dev.cutover.Figures.count(lag.bytes()) + " bytes behind, link "
                + lag.link(), LagRendering.data(lag));
    }
}
