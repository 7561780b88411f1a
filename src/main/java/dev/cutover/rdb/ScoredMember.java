package dev.cutover.rdb;

/** A sorted-set member and its score. */
public record ScoredMember(byte[] member, double score) {
}
