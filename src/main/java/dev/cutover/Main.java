package dev.cutover;

import picocli.CommandLine;

/** {@code cutover}: the shell, {@code -c}, {@code run}, {@code demo}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Answered before anything else is loaded: the version needs no command model, and
            // returning (no exit hook, no lambdas, no string-concat bootstrap) keeps it at JVM speed.
            System.out.println(versionLine());
            return;
        }
        QuietLogging.install(java.util.Arrays.asList(args).contains("--debug"));
        if (System.getenv(StartupTraining.VARIABLE) != null) {
            int code;
            try {
                code = StartupTraining.run();
            } catch (Exception e) {
                code = ExitCode.STEP_FAILED;
            }
            System.exit(code);
        }
        // No arguments (the shell): run it without building picocli's model of every subcommand.
        int code = args.length == 0 ? Cli.withoutArguments(System.getenv()) : Cli.commandLine(System.getenv()).execute(args);
        System.out.flush();
        System.err.flush();
        // Netty keeps the JVM up for a second after main returns: leave at once.
        System.exit(code);
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** "cutover 0.1.0 (Java 25.0.3+9-LTS)". */
    static String versionLine() {
        return new StringBuilder("cutover ").append(version()).append(" (Java ")
                .append(System.getProperty("java.runtime.version")).append(')').toString();
    }

    /** For picocli's --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }
}
