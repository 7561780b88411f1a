package dev.cutover.command;

import java.util.Map;

/**
 * What a command produced: the text a person reads, and the same facts as data for --json.
 *
 * @param text what to print (may be empty)
 * @param data the JSON object's fields besides "command" and "ok"
 */
public record CommandResult(String text, Map<String, Object> data) {
    public static CommandResult of(String text) {
        return new CommandResult(text, Map.of());
    }

    public static CommandResult of(String text, Map<String, Object> data) {
        return new CommandResult(text, data);
    }

    public static CommandResult empty() {
        return new CommandResult("", Map.of());
    }
}
