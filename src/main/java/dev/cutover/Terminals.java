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

    /**
     * The operator's terminal. JLine's JNI provider comes first: measured here, it reaches the
     * prompt about 0.1-0.2 s sooner than the FFM one, whose downcalls are linked at start-up;
     * FFM and exec remain the fall-backs where the native library cannot load.
     */
    static org.jline.terminal.Terminal system() throws java.io.IOException {
        return org.jline.terminal.TerminalBuilder.builder().system(true).name("cutover").providers("jni,ffm,exec").build();
    }
}
