package dev.cutover.rdb;

/** A hash field and its value; {@code expireAtMs} is the field's own TTL (unix ms), -1 for none. */
public record HashField(byte[] field, byte[] value, long expireAtMs) {
    public HashField(byte[] field, byte[] value) {
        this(field, value, -1);
    }
}
