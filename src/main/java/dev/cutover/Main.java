package dev.cutover;

import picocli.CommandLine;

/** {@code cutover}: the shell, {@code -c}, {@code run}, {@code demo}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        quietLibraryLogging(java.util.Arrays.asList(args).contains("--debug"));
        int code = Cli.commandLine(System.getenv()).execute(args);
        System.out.flush();
        System.err.flush();
        // Netty keeps the JVM up for a second after main returns: leave at once.
        System.exit(code);
    }

    /**
     * Netty and Lettuce log through java.util.logging (Netty skips slf4j's no-op binding):
     * nothing of theirs reaches the operator's screen unless --debug asks for it.
     */
    static void quietLibraryLogging(boolean debug) {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(debug ? java.util.logging.Level.WARNING : java.util.logging.Level.OFF);
        if (debug) {
            java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
            handler.setLevel(java.util.logging.Level.WARNING);
            root.addHandler(handler);
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** For picocli's --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cutover " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
