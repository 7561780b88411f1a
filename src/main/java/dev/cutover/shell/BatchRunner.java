package dev.cutover.shell;

import dev.cutover.ExitCode;
import dev.cutover.command.ExitRequested;
import java.io.BufferedReader;
import java.util.Iterator;
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
        return run(input.lines().iterator());
    }

    public int run(List<String> lines) {
        return run(lines.iterator());
    }

    private int run(Iterator<String> lines) {
        int result = ExitCode.OK;
        try {
            while (lines.hasNext()) {
                int code = evaluator.evaluate(lines.next());
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
        }
    }

    /** The lines of a {@code -c} argument. */
    public static List<String> linesOf(String commands) {
        return LineSplitter.split(commands);
    }
}
