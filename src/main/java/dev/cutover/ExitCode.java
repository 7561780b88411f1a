package dev.cutover;

/** The process exit codes an operator and a script can rely on. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int STEP_FAILED = 1;
    public static final int USAGE = 2;
    public static final int PRECONDITION = 3;
    public static final int CONNECTION = 4;
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
