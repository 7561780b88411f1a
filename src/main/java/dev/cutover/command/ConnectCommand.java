package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Role;
import dev.cutover.endpoint.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "connect", description = "Connect the source or the target server and show what it is.",
        footerHeading = "%nExamples:%n",
        footer = {"  connect source redis://10.0.0.5:6379",
                "  connect target valkeys://admin@cache.example:6380 --password-env TARGET_PASSWORD --cacert ca.pem",
                "  connect source redis://127.0.0.1:6379/0 --ask-password --replace",
                "  connect proxy unix:/run/cutover/proxy.sock"})
final class ConnectCommand implements ShellCommand {
    @Parameters(index = "0", paramLabel = "<role>", description = "source, target, or proxy (a cutover proxy's control address)",
            completionCandidates = ConnectRoles.class)
    String role;

    @Parameters(index = "1", paramLabel = "<uri>",
            description = "redis://[user[:password]@]host[:port][/db] (also rediss://, valkey://, valkeys://)")
    String uri;

    @Option(names = "--user", paramLabel = "USER", description = "ACL user name (overrides the URI's)")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR", description = "read the password from this environment variable")
    String passwordEnv;

    @Option(names = "--ask-password", description = "ask for the password without echo")
    boolean askPassword;

    @Option(names = "--cacert", paramLabel = "FILE", description = "PEM file of the CA that signed the server's certificate")
    Path caCert;

    @Option(names = "--insecure", description = "accept any TLS certificate (test servers only)")
    boolean insecure;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", description = "connect timeout (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--replace", description = "replace an endpoint already connected in this role without asking")
    boolean replace;

    @Option(names = "--token-env", paramLabel = "VAR", description = "connect proxy HOST:PORT: the control token is in this variable")
    String tokenEnv;

    @Option(names = "--fingerprint", paramLabel = "HEX", description = "connect proxy HOST:PORT: the SHA-256"
            + " fingerprint of the control certificate, as the proxy printed it at start")
    String fingerprint;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        if (role.equals("proxy")) {
            Optional<Secret> token = Optional.ofNullable(tokenEnv).map(v -> Secret.of(context.console().env(v)
                    .orElseThrow(() -> CutoverException.usage("environment variable " + v + " (from --token-env) is not set"))));
            String text = context.session().attachProxy(uri, token, Optional.ofNullable(fingerprint));
            return CommandResult.of(text, java.util.Map.of("proxy", uri));
        }
        Role parsedRole = Role.parse(role);
        EndpointUri parsedUri = EndpointUri.parse(uri);
        if (passwordEnv != null && askPassword) {
            throw CutoverException.usage("connect: give either --password-env or --ask-password, not both");
        }
        Optional<Secret> password = Optional.empty();
        Console console = context.console();
        if (passwordEnv != null) {
            password = Optional.of(Secret.of(console.env(passwordEnv).orElseThrow(() -> CutoverException.usage(
                    "environment variable " + passwordEnv + " (from --password-env) is not set"))));
        } else if (askPassword) {
            char[] typed = console.readSecret("password for " + parsedRole.label() + " " + parsedUri.address() + ": ")
                    .orElseThrow(() -> CutoverException.usage(
                            "--ask-password needs a terminal: use --password-env VAR instead"));
            password = Optional.of(Secret.of(typed));
        }
        ConnectOptions options = new ConnectOptions(Optional.ofNullable(user), password,
                Optional.ofNullable(caCert), insecure, timeout);
        boolean doReplace = replace;
        if (!doReplace && context.session().isConnected(parsedRole)) {
            String existing = context.session().uri(parsedRole).map(EndpointUri::redacted).orElse("?");
            if (console.interactive() && console.confirm(parsedRole.label() + " is connected to " + existing
                    + "; replace it with " + parsedUri.redacted() + "?")) {
                doReplace = true;
            }
        }
        EndpointSummary summary = context.session().connect(parsedRole, parsedUri, options, doReplace);
        return CommandResult.of(EndpointRendering.text(summary), EndpointRendering.data(summary));
    }
}
