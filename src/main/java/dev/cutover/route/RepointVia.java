package dev.cutover.route;

import java.time.Duration;

/** How clients are sent to the target. */
public sealed interface RepointVia {
    /** Run the operator's command (rewrites app config, a secret, a service record). */
    record Exec(String command, Duration timeout, boolean passSecret) implements RepointVia {
    }

    /** Through HAProxy's runtime API: {@code set server B/S addr …}, then close old sessions. */
    record Haproxy(String socket, String backend, String server) implements RepointVia {
    }

    /**
     * Through the cutover proxy: every client connection moves to the target, held writes are
     * released there. {@code clientCredentials}: what the clients' AUTH becomes on the target.
     */
    record Proxy(java.util.Optional<dev.cutover.proxy.Credentials> clientCredentials) implements RepointVia {
    }
}
