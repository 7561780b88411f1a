package dev.cutover.command;

import java.util.function.Supplier;

/** --dry-run on a command: the step runs as a rehearsal, saying what it would do. */
final class DryRuns {
    private DryRuns() {
    }

    static <T> T maybe(CommandContext context, boolean dryRun, Supplier<T> step) {
        if (!dryRun) {
            return step.get();
        }
        Console console = context.console();
        // With --json, stdout carries only the JSON result: the rehearsal's lines go to stderr.
        java.io.PrintWriter where = console.json() ? console.err() : console.out();
        return context.session().rehearse(line -> {
            where.println(line);
            where.flush();
        }, step);
    }
}
