package dev.cutover;

/**
 * An error that reaches the operator: one sentence saying what is wrong and what to do, and the
 * exit code it maps to. Stack traces are shown only with {@code --debug}.
 */
public abstract sealed class CutoverException extends RuntimeException implements ExitCoded
        permits CutoverException.Usage, CutoverException.Connection, CutoverException.Precondition,
                CutoverException.StepFailed, CutoverException.Interrupted {

    private final int exitCode;

    private CutoverException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    public static Usage usage(String message) {
        return new Usage(message);
    }

    public static Connection connection(String message, Throwable cause) {
        return new Connection(message, cause);
    }

    public static Precondition precondition(String message) {
        return new Precondition(message);
    }

    public static StepFailed failed(String message) {
        return new StepFailed(message, null);
    }

    public static StepFailed failed(String message, Throwable cause) {
        return new StepFailed(message, cause);
    }

    /** Bad input: a wrong option, a malformed URI, a command in the wrong place. Exit 2. */
    public static final class Usage extends CutoverException {
        Usage(String message) {
            super(message, ExitCode.USAGE, null);
        }
    }

    /** A server could not be reached or refused our credentials. Exit 4. */
    public static final class Connection extends CutoverException {
        Connection(String message, Throwable cause) {
            super(message, ExitCode.CONNECTION, cause);
        }
    }

    /** The servers are not in the state a step needs. Exit 3. */
    public static final class Precondition extends CutoverException {
        Precondition(String message) {
            super(message, ExitCode.PRECONDITION, null);
        }
    }

    /** A step ran and failed. Exit 1. */
    public static final class StepFailed extends CutoverException {
        StepFailed(String message, Throwable cause) {
            super(message, ExitCode.STEP_FAILED, cause);
        }
    }

    /** The operator interrupted a running step (Ctrl-C). Exit 130. */
    public static final class Interrupted extends CutoverException {
        public Interrupted(String message) {
            super(message, ExitCode.INTERRUPTED, null);
        }
    }
}
