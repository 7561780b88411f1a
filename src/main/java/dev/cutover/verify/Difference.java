package dev.cutover.verify;

/** One way a key differs between source and target. */
public record Difference(Kind kind, int db, String key, String detail) {
    public enum Kind { MISSING, EXTRA, TYPE, TTL, VALUE }
}
