package dev.cutover.rdb;

/** Receives what an {@link RdbReader} reads, in file order. Only {@link #entry} is required. */
public interface RdbVisitor {
    /** {@code magic} is "REDIS" or "VALKEY"; {@code version} is the RDB version (80 for VALKEY080). */
    default void header(int version, String magic) {
    }

    default void aux(String name, byte[] value) {
    }

    default void selectDb(int db) {
    }

    default void resizeDb(int db, long keys, long expires) {
    }

    /** A function library's source, as FUNCTION LOAD takes it. */
    default void function(byte[] code) {
    }

    void entry(RdbEntry entry);

    /** {@code checksumChecked} is false when the file carries no checksum (0, or RDB before 5). */
    default void end(long bytesRead, boolean checksumChecked) {
    }
}
