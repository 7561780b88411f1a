package dev.cutover.endpoint;

/** One line of INFO keyspace: keys, keys with a TTL, keys with hash-field TTLs (Redis 7.4+). */
public record DbStats(int db, long keys, long expires, long subexpiry) {
}
