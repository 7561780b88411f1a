package dev.cutover;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The launcher's one training run for the JVM's ahead-of-time cache (a CDS archive before JDK
 * 25): what a start-up loads and runs, done once so later starts find it ready. It parses a
 * command line, builds the shell and its JavaScript context, a line reader on a dumb terminal,
 * Lettuce's resources and a JSON result, in a throwaway home; it touches no server.
 */
final class StartupTraining {
    static final String VARIABLE = "CUTOVER_STARTUP_TRAINING";

    private StartupTraining() {
    }

    static int run() throws Exception {
        Path home = Files.createTempDirectory("cutover-training-");
        try {
            Map<String, String> env = Map.of("CUTOVER_HOME", home.toString(), "XDG_RUNTIME_DIR", home.toString());
            Cli.commandLine(env).parseArgs("--json", "-c", "1+2");
            PrintWriter quiet = new PrintWriter(new StringWriter());
            try (var runtime = new dev.cutover.shell.ShellRuntime(new dev.cutover.shell.StdConsole.Options(false, true, false, false),
                    env, quiet, quiet, Cli.memoize(dev.cutover.script.ScriptEngine::newEngine), "training")) {
                runtime.scripts().warmUp();
                runtime.batch(true).run(List.of("1+2", "status", "help", "[1, 2].map(x => x * 2)"));
                try (var terminal = org.jline.terminal.TerminalBuilder.builder().dumb(true).streams(
                        java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream()).build()) {
                    new dev.cutover.shell.InteractiveShell(terminal, runtime.session(), runtime.registry(), runtime.evaluator(),
                            runtime.scripts(), runtime.console(), runtime.dirs()).newReader();
                }
                var resources = new dev.cutover.endpoint.ClientResourcesOnDemand();
                resources.get();
                resources.shutdown();
            }
            return ExitCode.OK;
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
