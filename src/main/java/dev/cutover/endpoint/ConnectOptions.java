package dev.cutover.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach a server beyond what its URI says.
 *
 * @param user     overrides the URI's user
 * @param password overrides the URI's password (from --password-env or --ask-password)
 * @param caCert   a PEM file of the CA that signed the server's certificate
 * @param insecure accept any certificate (test servers only)
 * @param timeout  connect and command timeout
 */
public record ConnectOptions(Optional<String> user, Optional<Secret> password, Optional<Path> caCert,
                             boolean insecure, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ConnectOptions {
        if (timeout.isNegative() || timeout.isZero()) {
            throw dev.cutover.CutoverException.usage("the connect timeout must be positive");
        }
    }

    public static ConnectOptions defaults() {
        return new ConnectOptions(Optional.empty(), Optional.empty(), Optional.empty(), false, DEFAULT_TIMEOUT);
    }
}
