package dev.cutover.command;

import java.nio.file.Path;
import java.util.Map;

/** Runs JavaScript in the session's script context (implemented by the script package). */
public interface ScriptRunner {
    /** Runs a file; returns the script's exit code. */
    int runFile(Path file, Map<String, String> args);

    /** Evaluates one line typed at the prompt and prints its value; returns an exit code. */
    int evalLine(String code);
}
