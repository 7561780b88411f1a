package dev.cutover.endpoint;

import java.util.Arrays;

/** A password. Its {@link #toString()} never shows it, so it cannot leak into output by accident. */
public final class Secret {
    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    public static Secret of(String value) {
        return new Secret(value.toCharArray());
    }

    public static Secret of(char[] value) {
        return new Secret(value);
    }

    public char[] chars() {
        return value.clone();
    }

    public String reveal() {
        return new String(value);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "***";
    }
}
