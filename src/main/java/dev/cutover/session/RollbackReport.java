package dev.cutover.session;

/** After {@code rollback}: the roles as they now stand. */
public record RollbackReport(String newSource, String newTarget) {
}
