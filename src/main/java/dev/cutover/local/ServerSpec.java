package dev.cutover.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to start a local server.
 *
 * @param password requirepass for the default user, if any
 * @param aclUser  an extra ACL user "name:password" with all permissions, if any
 * @param tls      certificate files to serve TLS only, if any
 * @param config   extra "name value" directives, e.g. "maxmemory 100mb"
 */
public record ServerSpec(Flavour flavour, Optional<String> password, Optional<String> aclUser,
                         Optional<Tls> tls, List<String> config) {

    /** Server certificate, key and the CA that signed them (PEM files). */
    public record Tls(Path cert, Path key, Path ca) {
    }

    public static ServerSpec of(Flavour flavour) {
        return new ServerSpec(flavour, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public ServerSpec withPassword(String value) {
        return new ServerSpec(flavour, Optional.of(value), aclUser, tls, config);
    }

    public ServerSpec withAclUser(String nameAndPassword) {
        return new ServerSpec(flavour, password, Optional.of(nameAndPassword), tls, config);
    }

    public ServerSpec withTls(Tls value) {
        return new ServerSpec(flavour, password, aclUser, Optional.of(value), config);
    }

    public ServerSpec withConfig(List<String> directives) {
        return new ServerSpec(flavour, password, aclUser, tls, List.copyOf(directives));
    }
}
