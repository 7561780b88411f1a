package dev.cutover.session;

import dev.cutover.CutoverException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@code set approvals 2}: every dangerous step waits, visible to all, until another person types
 * {@code approve} — or anyone taking part types {@code cancel}. "Another person" means another
 * identity (an account or an owner-issued credential), not another name: the same account
 * attached twice is one person. Loosening the policy is itself a step that needs approval.
 * Who proposed and who approved go into the journal, by identity.
 */
public final class Approvals {
    /** A step waiting for a second pair of eyes. */
    public record Pending(int id, String step, Actor proposer) {
    }

    private final Journal journal;
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    private final Map<Integer, String> decided = new java.util.HashMap<>();
    private int required = 1;
    private int nextId = 1;
    private Consumer<String> announce = line -> { };

    Approvals(Journal journal) {
        this.journal = journal;
    }

    public synchronized void announceTo(Consumer<String> sink) {
        this.announce = sink;
    }

    /**
     * Sets the policy. Turning approvals on takes effect at once; turning them off is a dangerous
     * step of its own, so with approvals on it waits for another person like any other.
     */
    public void require(int approvals, Actor who) {
        if (approvals < 1 || approvals > 2) {
            throw CutoverException.usage("approvals must be 1 (off) or 2 (a second operator approves each dangerous step)");
        }
        if (approvals < required()) {
            await("set approvals " + approvals, who);
        }
        synchronized (this) {
            required = approvals;
        }
    }

    public synchronized int required() {
        return required;
    }

    public synchronized List<Pending> pending() {
        return List.copyOf(pending.values());
    }

    /** Blocks the proposer's step until approved (returns) or cancelled (throws, exit 3). */
    public void await(String step, Actor proposer) {
        Pending p;
        synchronized (this) {
            if (required < 2) {
                return;
            }
            p = new Pending(nextId++, step, proposer);
            pending.put(p.id(), p);
            announce.accept("pending #" + p.id() + ": " + proposer.name() + " wants to " + step
                    + " — another person types 'approve " + p.id() + "', anyone 'cancel " + p.id() + "'");
        }
        String outcome;
        synchronized (this) {
            while (!decided.containsKey(p.id())) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    pending.remove(p.id());
                    Thread.currentThread().interrupt();
                    throw new CutoverException.Interrupted("interrupted while " + step + " waited for approval");
                }
            }
            outcome = decided.remove(p.id());
        }
        if (outcome.startsWith("cancelled")) {
            throw CutoverException.precondition(step + " was " + outcome + "; nothing was changed");
        }
    }

    public void approve(Optional<Integer> id, Actor who) {
        decide(id, who, true);
    }

    public void cancel(Optional<Integer> id, Actor who) {
        decide(id, who, false);
    }

    /** Cancels every pending step whose proposer matches (someone removed from the session). */
    public void cancelProposedBy(Predicate<Actor> proposer, String why) {
        List<Pending> gone;
        synchronized (this) {
            gone = pending.values().stream().filter(p -> proposer.test(p.proposer())).toList();
            gone.forEach(p -> {
                pending.remove(p.id());
                decided.put(p.id(), "cancelled: " + why);
            });
            notifyAll();
        }
        gone.forEach(p -> announce.accept("#" + p.id() + " cancelled: " + why));
    }

    private void decide(Optional<Integer> id, Actor who, boolean approve) {
        Pending p;
        synchronized (this) {
            if (pending.isEmpty()) {
                throw CutoverException.precondition("no step is waiting for approval");
            }
            // An explicit id must name a pending step: never fall back to another one.
            p = id.isPresent() ? pending.get(id.get())
                    : pending.size() == 1 ? pending.values().iterator().next() : null;
            if (p == null) {
                throw CutoverException.usage(id.isPresent() ? "no pending step #" + id.get()
                        : "several steps are pending: name one, e.g. 'approve " + pending.keySet().iterator().next() + "'");
            }
            if (approve && p.proposer().samePerson(who)) {
                throw CutoverException.precondition("#" + p.id() + " was proposed by " + p.proposer().label()
                        + ", and you are the same " + who.identity() + ": another person must approve it");
            }
            pending.remove(p.id());
            decided.put(p.id(), (approve ? "approved by " : "cancelled by ") + who.name());
            notifyAll();
        }
        journal.append(new JournalEntry(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                who.name(), (approve ? "approve #" : "cancel #") + p.id() + " (" + p.step() + " proposed by "
                + p.proposer().label() + "; " + (approve ? "approved by " : "cancelled by ") + who.label() + ")",
                "ok", 0, 0, ""));
        announce.accept("#" + p.id() + " " + (approve ? "approved" : "cancelled") + " by " + who.name());
    }
}
