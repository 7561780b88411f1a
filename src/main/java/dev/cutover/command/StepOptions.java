package dev.cutover.command;

import picocli.CommandLine.Option;

/** --yes and --dry-run, shared by every step that changes a server (a picocli mixin). */
public final class StepOptions {
    @Option(names = "--yes", description = "do not ask before this dangerous step")
    boolean yes;

    @Option(names = "--dry-run", description = "check every precondition and say what would happen; change nothing")
    boolean dryRun;
}
