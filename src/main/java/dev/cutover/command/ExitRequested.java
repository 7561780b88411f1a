package dev.cutover.command;

/** Thrown by {@code exit}: the shell ends with this code. Not an error. */
public final class ExitRequested extends RuntimeException {
    private final int code;

    public ExitRequested(int code) {
        super(null, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
