package dev.cutover.command;

/**
 * One command of the shell: a picocli-annotated class (its options, help and completion are
 * declared on it) that parses, calls the session and renders. A fresh instance runs each line.
 */
public interface ShellCommand {
    CommandResult call(CommandContext context);
}
