package dev.cutover.command;

import java.time.Duration;
import picocli.CommandLine;

/** Builds the picocli parser for a command instance with cutover's converters. */
final class CommandFactory {
    private CommandFactory() {
    }

    static CommandLine commandLine(ShellCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.registerConverter(Duration.class, new Durations());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(100);
        return cl;
    }
}
