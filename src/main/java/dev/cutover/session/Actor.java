package dev.cutover.session;

/**
 * Who runs a step: the name the others see (decoration, chosen by the person) and the identity
 * the system vouches for (the Unix account a socket peer runs as, or the credential the owner
 * issued). Two actors with one identity are one person, whatever their names.
 */
public record Actor(String name, String identity) {
    public Actor {
        if (name == null || name.isBlank() || identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name and an identity");
        }
    }

    /** The person at the session's own terminal: the account this process runs as. */
    public static Actor owner(String name) {
        return new Actor(name, "user " + ProcessHandle.current().info().user().orElse("uid-unknown"));
    }

    /** "alice (user ops1)": how journal entries and announcements name someone. */
    public String label() {
        return name + " (" + identity + ")";
    }

    public boolean samePerson(Actor other) {
        return identity.equals(other.identity);
    }
}
