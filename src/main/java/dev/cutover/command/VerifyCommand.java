package dev.cutover.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cutover.CutoverException;
import dev.cutover.verify.VerifyReport;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Prove the target holds what the source holds: counts, a sample, or every key.",
        footerHeading = "%nExamples:%n", footer = {"  verify", "  verify --sample 10000", "  verify --full --json"})
final class VerifyCommand implements ShellCommand {
    @Option(names = "--full", description = "compare every key on both sides (streamed; takes a while on big data)")
    boolean full;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "1000", description = "random keys to compare without --full (default ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--show", paramLabel = "N", defaultValue = "20", description = "differences to list in full (default ${DEFAULT-VALUE})")
    int show;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (sample < 1 || show < 0) {
            throw CutoverException.usage("--sample must be at least 1 and --show not negative");
        }
        VerifyReport report = context.session().verify(full, sample, show);
        if (report.equal()) {
            return CommandResult.of(VerifyRendering.text(report), VerifyRendering.data(report));
        }
        Console console = context.console();
        if (console.json()) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("command", "verify");
            object.put("ok", false);
            object.putAll(VerifyRendering.data(report));
            try {
                console.out().println(JsonOutput.mapper().writeValueAsString(object));
            } catch (JsonProcessingException e) {
                throw CutoverException.failed("cannot render the report as JSON: " + e.getMessage());
            }
        } else {
            console.out().println(VerifyRendering.text(report));
        }
        console.out().flush();
        throw CutoverException.failed("verify found " + report.differences() + " difference(s) between source and target"
                + (report.sourceFrozen() ? "" : " (writes are not frozen: run it again after freeze-writes)"));
    }
}
