package dev.cutover.command;

import dev.cutover.session.Session;

/** What a running command may use. */
public record CommandContext(Session session, Console console, ScriptRunner scripts, CommandRegistry registry,
                             Sharing sharing) {
}
