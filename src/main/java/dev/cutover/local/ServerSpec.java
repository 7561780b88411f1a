package dev.cutover.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to start a local server.
 *
 * @param password requirepass for the default user, if any
 * @param tls      certificate files to serve TLS only, if any
 * @param config   extra "name value" directives, e.g. "maxmemory 100mb"
 * @param rdb      an RDB file the server loads at start (copied into its dir as dump.rdb), if any
 */
public record ServerSpec(Flavour flavour, Optional<String> password, Optional<Tls> tls, List<String> config,
                         Optional<Path> rdb) {

    public ServerSpec(Flavour flavour, Optional<String> password, Optional<Tls> tls, List<String> config) {
        this(flavour, password, tls, config, Optional.empty());
    }

    /** Server certificate, key and the CA that signed them (PEM files). */
    public record Tls(Path cert, Path key, Path ca) {
    }

    public static ServerSpec of(Flavour flavour) {
        return new ServerSpec(flavour, Optional.empty(), Optional.empty(), List.of());
    }

    public ServerSpec withPassword(String value) {
        return new ServerSpec(flavour, Optional.of(value), tls, config, rdb);
    }


    public ServerSpec withTls(Tls value) {
        return new ServerSpec(flavour, password, Optional.of(value), config, rdb);
    }

    public ServerSpec withConfig(List<String> directives) {
        return new ServerSpec(flavour, password, tls, List.copyOf(directives), rdb);
    }

    /** Starts the server from a copy of {@code file} (an RDB, or an AOF with an RDB preamble). */
    public ServerSpec withRdb(Path file) {
        return new ServerSpec(flavour, password, tls, config, Optional.of(file));
    }
}
