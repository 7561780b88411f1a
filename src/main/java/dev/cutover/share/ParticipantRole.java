package dev.cutover.share;

/** What a participant may do in a shared session: the owner gives it, never the participant. */
public enum ParticipantRole {
    /** Runs commands like the owner (owner-only commands aside) and approves others' steps. */
    OPERATOR,
    /** Sees everything, runs nothing. */
    OBSERVER;

    public String label() {
        return this == OPERATOR ? "operator" : "observer";
    }

    /** The lesser of two roles: a participant may ask for less than its credential gives, never more. */
    public ParticipantRole atMost(ParticipantRole other) {
        return this == OBSERVER || other == OBSERVER ? OBSERVER : OPERATOR;
    }
}
