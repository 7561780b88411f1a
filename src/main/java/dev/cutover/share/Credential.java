package dev.cutover.share;

import java.nio.file.Path;

/**
 * A credential the owner issued: who holds it (a label of the owner's choosing), the role it
 * gives, and the file that holds its secret (mode 0600, for the owner to send by a private
 * channel). The secret itself stays in {@link Credentials}.
 */
public record Credential(String holder, ParticipantRole role, Path file) {
    /** The identity of whoever attaches over TLS with it: one credential is one person. */
    public String identity() {
        return "credential " + holder;
    }
}
