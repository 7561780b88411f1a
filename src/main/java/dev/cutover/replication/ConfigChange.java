package dev.cutover.replication;

/** A config cutover changed on a server, with the value to restore at stop. */
public record ConfigChange(String name, String previous) {
}
