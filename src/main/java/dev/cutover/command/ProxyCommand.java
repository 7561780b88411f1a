package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Role;
import dev.cutover.session.ProxyStatusText;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "proxy", description = "Start a cutover proxy inside this shell, show the session's proxy, or stop it.",
        footerHeading = "%nExamples:%n", footer = {"  proxy start --listen 127.0.0.1:7000", "  proxy status",
                "  proxy stop", "  (a long-running proxy: 'cutover proxy --listen … --upstream … --control unix:PATH',"
                + " then 'connect proxy unix:PATH')"})
final class ProxyCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<action>", description = "start, status or stop",
            completionCandidates = Actions.class)
    String action;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "with start: where applications connect")
    String listen;

    @Option(names = "--upstream", paramLabel = "ROLE", defaultValue = "source",
            description = "with start: the endpoint it forwards to (default ${DEFAULT-VALUE})")
    String upstream;

    @Mixin
    ClientAuthOptions clientAuth = new ClientAuthOptions();

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        return switch (action) {
            case "start" -> {
                if (listen == null) {
                    throw CutoverException.usage("proxy start needs --listen HOST:PORT");
                }
                var clients = clientAuth.toClientAuth(context.console()::env);
                yield CommandResult.of(context.session().startProxy(listen, Role.parse(upstream), clients),
                        Map.of("started", listen));
            }
            case "status" -> {
                var status = context.session().proxyStatus();
                yield CommandResult.of(ProxyStatusText.of(status), ProxyStatusText.data(status));
            }
            case "stop" -> CommandResult.of(context.session().stopProxy());
            default -> throw CutoverException.usage("unknown proxy action '" + action + "': use start, status or stop");
        };
    }

    /** Completion candidates for the action. */
    static final class Actions extends java.util.AbstractList<String> {
        private static final java.util.List<String> ACTIONS = java.util.List.of("start", "status", "stop");

        @Override
        public String get(int index) {
            return ACTIONS.get(index);
        }

        @Override
        public int size() {
            return ACTIONS.size();
        }
    }
}
