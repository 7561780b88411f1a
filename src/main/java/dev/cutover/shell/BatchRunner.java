package dev.cutover.shell;

import dev.cutover.ExitCode;
import dev.cutover.command.ExitRequested;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Runs lines without a terminal: no prompt, no colours; stops at the first failing line with
 * its exit code unless told to keep going (then the last failure's code is returned).
 */
public final class BatchRunner {
    private final LineEvaluator evaluator;
    private final boolean keepGoing;

    public BatchRunner(LineEvaluator evaluator, boolean keepGoing) {
        this.evaluator = evaluator;
        this.keepGoing = keepGoing;
    }

    public int run(BufferedReader input) {
        try {
            int result = ExitCode.OK;
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                int code = evaluator.evaluate(line);
                if (code != ExitCode.OK) {
                    result = code;
                    if (!keepGoing) {
                        return code;
                    }
                }
            }
            return result;
        } catch (ExitRequested exit) {
            return exit.code();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int run(List<String> lines) {
        int result = ExitCode.OK;
        try {
            for (String line : lines) {
                int code = evaluator.evaluate(line);
                if (code != ExitCode.OK) {
                    result = code;
                    if (!keepGoing) {
                        return code;
                    }
                }
            }
        } catch (ExitRequested exit) {
            return exit.code();
        }
        return result;
    }

    /** The lines of a {@code -c} argument. */
    public static List<String> linesOf(String commands) {
        return LineSplitter.split(commands);
    }
}
