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

    /** A full sync is under way. */
    record Syncing(int percent) implements SessionState {
        @Override
        public String label() {
            return "syncing(" + percent + "%)";
        }
    }

    /** The target has the full copy and applies the source's changes as they come. */
    record Streaming() implements SessionState {
        @Override
        public String label() {
            return "streaming";
        }
    }

    /** Replication ended; the target is a primary of its own. */
    record Stopped() implements SessionState {
        @Override
        public String label() {
            return "stopped";
        }
    }

    /** The link is down or a server is unreachable; the reason says which. */
    record Broken(String reason) implements SessionState {
        @Override
        public String label() {
            return "broken(" + reason + ")";
        }
    }

    /** Writes on the source are held; the target catches up to the frozen offset. */
    record Frozen(long secondsLeft) implements SessionState {
        @Override
        public String label() {
            return "frozen(" + secondsLeft + "s left)";
        }
    }

    /** Clients were sent to the target; the source stays frozen until demoted. */
    record Repointed() implements SessionState {
        @Override
        public String label() {
            return "repointed";
        }
    }
}
