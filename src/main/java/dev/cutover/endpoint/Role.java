package dev.cutover.endpoint;

import java.util.Locale;

/** What an endpoint is to the session. */
public enum Role {
    SOURCE, TARGET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text.toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw dev.cutover.CutoverException.usage(
                "unknown endpoint role '" + text + "': use source or target");
    }
}
