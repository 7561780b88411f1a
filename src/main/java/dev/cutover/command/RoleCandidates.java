package dev.cutover.command;

import java.util.List;

/** Completion candidates for an endpoint role. */
public final class RoleCandidates extends java.util.AbstractList<String> {
    private static final List<String> ROLES = List.of("source", "target");

    @Override
    public String get(int index) {
        return ROLES.get(index);
    }

    @Override
    public int size() {
        return ROLES.size();
    }
}
