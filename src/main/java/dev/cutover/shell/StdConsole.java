package dev.cutover.shell;

import dev.cutover.command.Console;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import org.jline.reader.LineReader;

/** The console of a real process: stdout/stderr, and a JLine reader when at a terminal. */
public final class StdConsole implements Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Options options;
    private final Map<String, String> environment;
    private volatile LineReader reader;

    /** The flags that change how output looks and whether questions are asked. */
    public record Options(boolean interactive, boolean json, boolean debug, boolean assumeYes) {
    }

    public StdConsole(PrintWriter out, PrintWriter err, Options options, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.options = options;
        this.environment = environment;
    }

    void attach(LineReader lineReader) {
        this.reader = lineReader;
    }

    @Override
    public PrintWriter out() {
        return out;
    }

    @Override
    public PrintWriter err() {
        return err;
    }

    @Override
    public boolean interactive() {
        return options.interactive() && reader != null;
    }

    @Override
    public boolean json() {
        return options.json();
    }

    @Override
    public boolean debug() {
        return options.debug();
    }

    @Override
    public boolean assumeYes() {
        return options.assumeYes();
    }

    @Override
    public boolean confirm(String question) {
        if (options.assumeYes()) {
            return true;
        }
        LineReader r = reader;
        if (r == null || !options.interactive()) {
            return false;
        }
        try {
            String answer = r.readLine(question + " [y/N] ");
            return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
        } catch (org.jline.reader.UserInterruptException | org.jline.reader.EndOfFileException e) {
            return false;
        }
    }

    @Override
    public Optional<char[]> readSecret(String prompt) {
        LineReader r = reader;
        if (r == null || !options.interactive()) {
            return Optional.empty();
        }
        try {
            // A reader without history for the secret, so it can never be recorded.
            String secret = r.readLine(prompt, '*');
            return Optional.of(secret.toCharArray());
        } catch (org.jline.reader.UserInterruptException | org.jline.reader.EndOfFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name));
    }
}
