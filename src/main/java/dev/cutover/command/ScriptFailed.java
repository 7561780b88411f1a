package dev.cutover.command;

/**
 * A script ended with a non-zero exit code; it has already said why, so nothing more is printed.
 */
public final class ScriptFailed extends RuntimeException implements dev.cutover.ExitCoded {
    private final int code;

    public ScriptFailed(int code) {
        super("script exited with code " + code, null, false, false);
        this.code = code;
    }

    @Override
    public int exitCode() {
        return code;
    }
}
