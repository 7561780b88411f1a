package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Secret;
import dev.cutover.proxy.ClientAuth;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Who authenticates a proxy's clients, as both {@code cutover proxy} and the shell's
 * {@code proxy start} take it: the server (transparent, the default) or the proxy, with a
 * password of its own read from the environment.
 */
public final class ClientAuthOptions {
    @Option(names = "--client-password-env", paramLabel = "VAR", description = "clients must AUTH to the proxy with"
            + " this password (from this environment variable) before anything is forwarded; their upstream"
            + " connections are then logged in with the upstream's credentials")
    String clientPasswordEnv;

    @Option(names = "--client-user", paramLabel = "USER", description = "with --client-password-env: the user name"
            + " clients AUTH with (default: default)")
    String clientUser;

    @Option(names = "--transparent-auth", description = "clients AUTH to the upstream themselves (the default);"
            + " needed on a non-loopback --listen when the upstream has a password, which then serves only the"
            + " proxy's own connections")
    boolean transparentAuth;

    /** The choice made; {@code env} reads an environment variable (empty when unset). */
    public ClientAuth toClientAuth(Function<String, Optional<String>> env) {
        if (clientPasswordEnv == null) {
            if (clientUser != null) {
                throw CutoverException.usage("--client-user goes with --client-password-env VAR");
            }
            return new ClientAuth.Transparent(transparentAuth);
        }
        if (transparentAuth) {
            throw CutoverException.usage("--client-password-env and --transparent-auth exclude each other:"
                    + " either the proxy checks the clients' password, or the server does");
        }
        String password = env.apply(clientPasswordEnv).filter(v -> !v.isEmpty()).orElseThrow(() -> CutoverException.usage(
                "environment variable " + clientPasswordEnv + " (from --client-password-env) is not set"));
        return new ClientAuth.Password(Optional.ofNullable(clientUser), Secret.of(password));
    }
}
