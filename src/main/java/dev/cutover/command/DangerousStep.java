package dev.cutover.command;

import dev.cutover.CutoverException;

/**
 * Decides whether a dangerous step (stop, freeze, repoint, --force …) may go ahead: with --yes,
 * by asking at a terminal, and otherwise not at all.
 */
public final class DangerousStep {
    private DangerousStep() {
    }

    /**
     * Asks (or needs --yes), then, with 'set approvals 2', waits for a second operator's approve.
     * A dry run changes nothing, so it neither asks nor waits.
     */
    public static void confirm(dev.cutover.session.Session session, Console console, boolean yes, String step,
                               String warning) {
        if (session.isDryRun()) {
            return;
        }
        confirm(console, yes, step, warning);
        session.approvals().await(step, session.actor());
    }

    private static void confirm(Console console, boolean yes, String step, String warning) {
        if (yes || console.assumeYes()) {
            return;
        }
        if (console.interactive()) {
            if (console.confirm(warning + " Go ahead with " + step + "?")) {
                return;
            }
            throw CutoverException.precondition(step + " cancelled; nothing was changed");
        }
        throw CutoverException.precondition(warning + " Without a terminal, " + step + " needs --yes.");
    }
}
