package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Secret;
import java.nio.file.Path;

/** Where sessions reach a running proxy: a Unix socket only its user can open, or TCP with a token. */
public sealed interface ControlEndpoint {
    /** {@code unix:/path}: the socket is made mode 0600. */
    record Unix(Path path) implements ControlEndpoint {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** {@code host:port}: every connection must present the token first. */
    record Tcp(String host, int port, Secret token) implements ControlEndpoint {
        public Tcp {
            if (token.isEmpty()) {
                throw CutoverException.usage("a TCP control endpoint needs a token (--token-env VAR)");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Parses {@code unix:/path} or {@code host:port}; a token is required for TCP and ignored for Unix. */
    static ControlEndpoint parse(String text, Secret token) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isBlank()) {
                throw CutoverException.usage("--control unix: needs a path, e.g. unix:/run/cutover/proxy.sock");
            }
            return new Unix(Path.of(path));
        }
        HostPort hp = HostPort.parse(text, "--control");
        if (token == null) {
            throw CutoverException.usage("--control " + text + " is TCP: give a token with --token-env VAR");
        }
        return new Tcp(hp.host(), hp.port(), token);
    }
}
