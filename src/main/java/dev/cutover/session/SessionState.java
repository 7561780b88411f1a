package dev.cutover.session;

/** Where the migration stands. Visible at every moment: prompt, status, journal. */
public sealed interface SessionState {
    String label();

    /** Nothing connected yet. */
    record Idle() implements SessionState {
        @Override
        public String label() {
            return "idle";
        }
    }

    /** At least one endpoint connected, no replication yet. */
    record Connected() implements SessionState {
        @Override
        public String label() {
            return "connected";
        }
    }
}
