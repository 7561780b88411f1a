package dev.cutover.script;

/** Thrown by a script's {@code exit(code)}: ends the script with that code. Not an error. */
final class ScriptExit extends RuntimeException {
    private final int code;

    ScriptExit(int code) {
        super("exit " + code, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
