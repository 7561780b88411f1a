package dev.cutover.proxy;

import dev.cutover.endpoint.Secret;
import java.util.Objects;
import java.util.Optional;

/** A user (absent: the default user) and password, as AUTH takes them. Never printed. */
public record Credentials(Optional<String> user, Secret password) {
    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    public static Credentials of(String user, String password) {
        return new Credentials(Optional.ofNullable(user).filter(u -> !u.isEmpty()), Secret.of(password));
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user.orElse("default") + ", password=***]";
    }
}
