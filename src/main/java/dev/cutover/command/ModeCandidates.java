package dev.cutover.command;

import java.util.List;

/** Completion candidates for --mode. */
public final class ModeCandidates extends java.util.AbstractList<String> {
    private static final List<String> MODES = List.of("auto", "native", "psync", "scan");

    @Override
    public String get(int index) {
        return MODES.get(index);
    }

    @Override
    public int size() {
        return MODES.size();
    }
}
