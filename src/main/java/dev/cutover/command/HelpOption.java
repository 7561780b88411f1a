package dev.cutover.command;

import picocli.CommandLine.Option;

/** -h/--help, shared by every command (a picocli mixin). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
}
