package dev.cutover.command;

import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.session.SessionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show the whole session: state, endpoints and their capabilities.",
        footerHeading = "%nExamples:%n", footer = {"  status", "  status --json"})
final class StatusCommand implements ShellCommand {
    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        SessionStatus status = context.session().status();
        StringBuilder sb = new StringBuilder();
        sb.append("state    ").append(status.state()).append('\n');
        sb.append("journal  ").append(status.journal()).append('\n');
        status.links().forEach(line -> sb.append(line).append('\n'));
        if (status.endpoints().isEmpty()) {
            sb.append("no endpoints connected: connect source <uri>, then connect target <uri>");
        }
        context.session().link().filter(l -> l.relaxed()).ifPresent(l -> status.endpoints().stream()
                .filter(e -> e.role() == dev.cutover.endpoint.Role.SOURCE && e.info().totalSubexpiry() > 0)
                .forEach(e -> sb.append("! the source now holds ").append(e.info().totalSubexpiry())
                        .append(" key(s) with hash-field TTLs: the relaxed native link streams on, but its next full sync")
                        .append(" will fail on the target\n")));
        for (EndpointSummary s : status.endpoints()) {
            sb.append('\n').append(EndpointRendering.text(s)).append('\n');
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", status.state());
        data.put("journal", status.journal());
        data.put("links", status.links());
        data.put("endpoints", EndpointRendering.data(status.endpoints()));
        return CommandResult.of(sb.toString().stripTrailing(), data);
    }
}
