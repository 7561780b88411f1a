package dev.cutover.command;

import dev.cutover.replication.CheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", description = "Compare source and target before anything changes: a checklist with fixes.",
        footerHeading = "%nExamples:%n", footer = {"  check", "  check --flush-target --json"})
final class CheckCommand implements ShellCommand {
    @Option(names = "--flush-target", description = "accept that a non-empty target is overwritten")
    boolean flushTarget;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        CheckReport report = context.session().check(flushTarget);
        String verdict = report.passed() ? "check passed" : "check failed: fix the ✗ lines before replicate";
        return CommandResult.of(CheckRendering.text(report) + "\n" + verdict, CheckRendering.data(report));
    }
}
