package dev.cutover;

/** Whether a person is at a terminal. */
final class Terminals {
    private Terminals() {
    }

    static boolean stdinIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: System.console() exists even when redirected; isTerminal() tells.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal.
        }
    }
}
