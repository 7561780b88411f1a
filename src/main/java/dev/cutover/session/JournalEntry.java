package dev.cutover.session;

/**
 * One journal line: when, who, what (already redacted), how it ended and in what state.
 *
 * @param outcome  "ok", or the one-sentence error
 * @param exitCode the exit code the step maps to
 */
public record JournalEntry(String time, String operator, String input, String outcome, int exitCode,
                           long durationMs, String state) {
}
