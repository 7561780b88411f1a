package dev.cutover.replication;

/** One line of the pre-flight checklist: a mark, what was found, and the fix. */
public record CheckItem(Mark mark, String name, String finding, String fix) {
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

    public static CheckItem ok(String name, String finding) {
        return new CheckItem(Mark.OK, name, finding, "");
    }

    public static CheckItem warn(String name, String finding, String fix) {
        return new CheckItem(Mark.WARN, name, finding, fix);
    }

    public static CheckItem fail(String name, String finding, String fix) {
        return new CheckItem(Mark.FAIL, name, finding, fix);
    }

    public String sentence() {
        return fix.isEmpty() ? finding : finding + ": " + fix;
    }
}
