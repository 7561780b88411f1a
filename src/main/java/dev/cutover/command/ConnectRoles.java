package dev.cutover.command;

import java.util.List;

/** Completion candidates for connect's role: the two endpoints, and a cutover proxy. */
public final class ConnectRoles extends java.util.AbstractList<String> {
    private static final List<String> ROLES = List.of("source", "target", "proxy");

    @Override
    public String get(int index) {
        return ROLES.get(index);
    }

    @Override
    public int size() {
        return ROLES.size();
    }
}
