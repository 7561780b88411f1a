package dev.cutover.replication;

/**
 * One line of the pre-flight checklist: a mark, what was found, the fix, and which way of
 * replicating it concerns (a native-only failure does not stop psync mode).
 */
public record CheckItem(Mark mark, String name, String finding, String fix, Applies applies) {
    public enum Mark {
        OK("✓"), WARN("!"), FAIL("✗");

        private final String symbol;

        Mark(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** The modes a line matters to. */
    public enum Applies {
        ALWAYS, NATIVE, PSYNC, SCAN;

        public boolean to(ReplicateOptions.Mode mode) {
            return this == ALWAYS || name().equals(mode.name());
        }
    }

    public static CheckItem ok(String name, String finding) {
        return new CheckItem(Mark.OK, name, finding, "", Applies.ALWAYS);
    }

    public static CheckItem warn(String name, String finding, String fix) {
        return new CheckItem(Mark.WARN, name, finding, fix, Applies.ALWAYS);
    }

    public static CheckItem fail(String name, String finding, String fix) {
        return new CheckItem(Mark.FAIL, name, finding, fix, Applies.ALWAYS);
    }

    public CheckItem only(Applies scope) {
        return new CheckItem(mark, name, finding, fix, scope);
    }

    public String sentence() {
        return fix.isEmpty() ? finding : finding + ": " + fix;
    }
}
