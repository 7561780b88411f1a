package dev.cutover.command;

import dev.cutover.replication.CheckReport;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.session.Session;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replicate", description = "Copy everything from source to target, then keep streaming changes.",
        footerHeading = "%nExamples:%n",
        footer = {"  replicate", "  replicate --mode native --flush-target --yes",
                "  replicate --background --link-timeout 60s", "  replicate --mode psync",
                "  replicate --mode psync --resume"})
final class ReplicateCommand implements ShellCommand {
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto", completionCandidates = ModeCandidates.class,
            description = "auto (default), native, psync or scan")
    String mode;

    @Option(names = "--flush-target", description = "overwrite a target that is not empty (asks first)")
    boolean flushTarget;

    @Option(names = "--link-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "give up and undo when the link makes no progress this long (default ${DEFAULT-VALUE})")
    Duration linkTimeout;

    @Option(names = "--background", description = "return once replication started; 'lag' shows the sync")
    boolean background;

    @Option(names = "--source-address", paramLabel = "HOST:PORT",
            description = "where the target reaches the source, if not the address cutover uses")
    String sourceAddress;

    @Option(names = "--drop-field-ttl", description = "psync into a target without hash-field TTLs: keep the fields,"
            + " drop their TTLs (counted and journaled)")
    boolean dropFieldTtl;

    @Option(names = "--drop-stream-idempotency", description = "psync or scan from Redis 8.6 into a target without"
            + " stream idempotency: move the streams, drop their producers' recorded ids (counted and journaled)")
    boolean dropStreamIdempotency;

    @Option(names = "--resume", description = "psync mode: continue from where the last clean stop left the target")
    boolean resume;

    @Mixin
    StepOptions step;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        Session session = context.session();
        ReplicateOptions options = new ReplicateOptions(ReplicateOptions.Mode.parse(mode), flushTarget, linkTimeout,
                background, Optional.ofNullable(sourceAddress), resume, dropFieldTtl, dropStreamIdempotency);
        CheckReport report = DryRuns.maybe(context, step.dryRun, () -> Replicating.replicate(session, context.console(), options, step.yes,
                TerminalProgress.of(context.console())));
        String warnings = report.items().stream().filter(i -> i.mark() != dev.cutover.replication.CheckItem.Mark.OK
                        && i.applies().to(report.chosenMode()))
                .map(i -> i.mark().symbol() + " " + i.sentence()).reduce((a, b) -> a + "\n" + b).orElse("");
        String state = session.state().label();
        String chosen = report.chosenMode().name().toLowerCase(java.util.Locale.ROOT);
        String why = options.mode() == ReplicateOptions.Mode.AUTO ? "auto picked " + chosen + ": " + report.why() + "\n" : "";
        String target = session.uri(dev.cutover.endpoint.Role.TARGET).map(u -> u.address()).orElse("?");
        String source = session.link().map(l -> l.sourceAddress()).orElse("?");
        String how = report.chosenMode() == ReplicateOptions.Mode.PSYNC
                ? ": cutover replicates " + source + " into " + target + " (this shell is the replica: keep it running)"
                : ": target " + target + " replicates " + source;
        String text = why + chosen + " replication " + (state.equals("streaming") ? "is streaming" : "started (" + state
                + "); 'lag' shows its progress") + how + (warnings.isEmpty() ? "" : "\n" + warnings);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mode", chosen);
        data.put("state", state);
        data.put("relaxed", session.link().map(l -> l.relaxed()).orElse(false));
        data.put("check", CheckRendering.data(report));
        return CommandResult.of(text, data);
    }
}
