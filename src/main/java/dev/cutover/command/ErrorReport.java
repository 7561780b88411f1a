package dev.cutover.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.endpoint.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints an error the one way operators see errors: one line, or one JSON object. */
public final class ErrorReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorReport() {
    }

    /** Prints {@code e} and returns the exit code it maps to. */
    public static int print(Console console, Throwable e) {
        int code = e instanceof CutoverException ce ? ce.exitCode() : ExitCode.STEP_FAILED;
        String message = e instanceof CutoverException
                ? e.getMessage()
                : "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + (console.debug() ? "" : " (run with --debug for the stack trace)");
        message = Redaction.line(String.valueOf(message));
        if (console.json()) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("ok", false);
            obj.put("error", message);
            obj.put("exitCode", code);
            try {
                console.out().println(JSON.writeValueAsString(obj));
            } catch (JsonProcessingException impossible) {
                throw new IllegalStateException(impossible);
            }
            console.out().flush();
        } else {
            console.err().println("error: " + message);
        }
        if (console.debug()) {
            e.printStackTrace(console.err());
        }
        console.err().flush();
        return code;
    }
}
