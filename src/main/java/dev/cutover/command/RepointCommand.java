package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.route.RepointOutcome;
import dev.cutover.route.RepointVia;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "repoint", description = "Send clients to the target: needs writes frozen and lag exactly zero.",
        footerHeading = "%nExamples:%n",
        footer = {"  repoint --via exec --command 'kubectl set env deploy/app REDIS_URL=$CUTOVER_TARGET_URI'",
                "  repoint --via haproxy --socket /run/haproxy/admin.sock --backend redis --server primary"})
public final class RepointCommand implements ShellCommand {
    @Option(names = "--via", paramLabel = "WAY", required = true, completionCandidates = ViaCandidates.class,
            description = "exec (run a command) or haproxy (runtime API)")
    String via;

    @Option(names = "--command", paramLabel = "CMD", description = "with --via exec: the command, run by sh with CUTOVER_TARGET_* set")
    String command;

    @Option(names = "--command-timeout", paramLabel = "DURATION", defaultValue = "60s", description = "kill the command after this long")
    Duration commandTimeout;

    @Option(names = "--pass-secret", description = "with --via exec: also give the target's password (CUTOVER_TARGET_PASSWORD)")
    boolean passSecret;

    @Option(names = "--socket", paramLabel = "PATH|HOST:PORT", description = "with --via haproxy: the runtime API socket")
    String socket;

    @Option(names = "--backend", paramLabel = "B", description = "with --via haproxy: the backend")
    String backend;

    @Option(names = "--server", paramLabel = "S", description = "with --via haproxy: the server in that backend")
    String server;

    @Option(names = "--client-user", paramLabel = "USER", description = "with --via proxy: the user the clients' AUTH becomes on the target")
    String clientUser;

    @Option(names = "--client-password-env", paramLabel = "VAR",
            description = "with --via proxy: the clients' AUTH on the target uses this variable's password")
    String clientPasswordEnv;

    @Option(names = "--force", description = "skip the frozen and zero-lag checks (loud, journaled)")
    boolean force;

    @Mixin
    StepOptions step;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        RepointVia parsed = withClientCredentials(context, parse(via, command, commandTimeout, passSecret, socket,
                backend, server));
        RepointOutcome outcome = DryRuns.maybe(context, step.dryRun,
                () -> Freezing.repoint(context.session(), context.console(), parsed, force, step.yes));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("via", via);
        data.put("summary", outcome.summary());
        data.put("output", outcome.output());
        data.put("forced", force);
        String text = outcome.summary() + (outcome.output().isEmpty() ? "" : "\n" + outcome.output())
                + (step.dryRun ? "" : parsed instanceof RepointVia.Proxy
                        ? "\nrun 'stop --demote-source' to end replication and demote the old source"
                        : "\nthe source stays frozen: run 'stop --demote-source' to end replication and demote it");
        return CommandResult.of(text, data);
    }

    private RepointVia withClientCredentials(CommandContext context, RepointVia parsed) {
        if (!(parsed instanceof RepointVia.Proxy) || clientPasswordEnv == null) {
            return parsed;
        }
        String password = context.console().env(clientPasswordEnv).orElseThrow(() -> CutoverException.usage(
                "environment variable " + clientPasswordEnv + " (from --client-password-env) is not set"));
        return new RepointVia.Proxy(Optional.of(dev.cutover.proxy.Credentials.of(clientUser, password)));
    }

    public static RepointVia parse(String via, String command, Duration timeout, boolean passSecret, String socket,
                            String backend, String server) {
        return switch (via) {
            case "exec" -> {
                if (command == null || command.isBlank()) {
                    throw CutoverException.usage("repoint --via exec needs --command \"...\"");
                }
                yield new RepointVia.Exec(command, timeout, passSecret);
            }
            case "haproxy" -> {
                if (socket == null || backend == null || server == null) {
                    throw CutoverException.usage("repoint --via haproxy needs --socket, --backend and --server");
                }
                yield new RepointVia.Haproxy(socket, backend, server);
            }
            case "proxy" -> new RepointVia.Proxy(Optional.empty());
            default -> throw CutoverException.usage("unknown --via '" + via + "': use exec, haproxy or proxy");
        };
    }

    /** Completion candidates for --via. */
    static final class ViaCandidates extends java.util.AbstractList<String> {
        private static final java.util.List<String> WAYS = java.util.List.of("exec", "haproxy", "proxy");

        @Override
        public String get(int index) {
            return WAYS.get(index);
        }

        @Override
        public int size() {
            return WAYS.size();
        }
    }
}
