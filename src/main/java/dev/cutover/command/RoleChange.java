package dev.cutover.command;

import java.util.Map;

/** What promote and demote share: a participant, and the role the owner gives them now. */
final class RoleChange {
    private RoleChange() {
    }

    static CommandResult apply(CommandContext context, String who, boolean operator) {
        return CommandResult.of(context.sharing().setRole(who, operator),
                Map.of("participant", who, "role", operator ? "operator" : "observer"));
    }
}
