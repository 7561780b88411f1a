package dev.cutover.route;

/** What the repoint did, in a sentence, and any output of the operator's command. */
public record RepointOutcome(String summary, String output) {
}
