package dev.cutover.proxy;

import dev.cutover.endpoint.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Who authenticates the proxy's clients. Never nobody: either the server does (the client's own
 * AUTH goes upstream) or the proxy does, with a password of its own, before it forwards anything.
 */
public sealed interface ClientAuth {
    /**
     * Transparent (the default): a client's upstream connection carries no credentials of the
     * operator's; its own AUTH and HELLO AUTH go to the upstream and its answer comes back. Upstream
     * credentials given to the proxy serve only the proxy's own connections (the command table, probes).
     * {@code chosen}: the operator asked for it by name ({@code --transparent-auth}), which a proxy
     * with upstream credentials on a non-loopback address needs.
     */
    record Transparent(boolean chosen) implements ClientAuth {
    }

    /**
     * Offloading: clients authenticate to the proxy with this user (absent: {@code default}) and
     * password, answered as a server with {@code requirepass} answers (NOAUTH, WRONGPASS), and their
     * upstream connections are logged in with the operator's upstream credentials.
     */
    record Password(Optional<String> user, Secret password) implements ClientAuth {
        public Password {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw dev.cutover.CutoverException.usage("the clients' password for the proxy is empty");
            }
        }

        /** True for exactly this user and password (compared in constant time). */
        boolean accepts(byte[] givenUser, byte[] givenPassword) {
            byte[] expectedUser = user.orElse("default").getBytes(StandardCharsets.UTF_8);
            boolean userOk = MessageDigest.isEqual(expectedUser, givenUser == null ? "default".getBytes(
                    StandardCharsets.UTF_8) : givenUser);
            boolean passwordOk = MessageDigest.isEqual(password.reveal().getBytes(StandardCharsets.UTF_8), givenPassword);
            return userOk & passwordOk;
        }

        @Override
        public String toString() {
            return "Password[user=" + user.orElse("default") + ", password=***]";
        }
    }
}
