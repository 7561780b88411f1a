package dev.cutover.session;

import dev.cutover.CutoverException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code set approvals 2}: every dangerous step waits, visible to all, until another operator
 * types {@code approve} — or anyone taking part types {@code cancel}. Who proposed and who
 * approved go into the journal.
 */
public final class Approvals {
    /** A step waiting for a second pair of eyes. */
    public record Pending(int id, String step, String proposer) {
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

    public synchronized void require(int approvals) {
        if (approvals < 1 || approvals > 2) {
            throw CutoverException.usage("approvals must be 1 (off) or 2 (a second operator approves each dangerous step)");
        }
        required = approvals;
    }

    public synchronized int required() {
        return required;
    }

    public synchronized List<Pending> pending() {
        return List.copyOf(pending.values());
    }

    /** Blocks the proposer's step until approved (returns) or cancelled (throws, exit 3). */
    public void await(String step, String proposer) {
        Pending p;
        synchronized (this) {
            if (required < 2) {
                return;
            }
            p = new Pending(nextId++, step, proposer);
            pending.put(p.id(), p);
            announce.accept("pending #" + p.id() + ": " + proposer + " wants to " + step
                    + " — another operator types 'approve " + p.id() + "', anyone 'cancel " + p.id() + "'");
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

    public void approve(Optional<Integer> id, String who) {
        decide(id, who, true);
    }

    public void cancel(Optional<Integer> id, String who) {
        decide(id, who, false);
    }

    private void decide(Optional<Integer> id, String who, boolean approve) {
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
            if (approve && p.proposer().equals(who)) {
                throw CutoverException.precondition("you proposed #" + p.id() + ": another operator must approve it");
            }
            pending.remove(p.id());
            decided.put(p.id(), (approve ? "approved by " : "cancelled by ") + who);
            notifyAll();
        }
        journal.append(new JournalEntry(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                who, (approve ? "approve #" : "cancel #") + p.id() + " (" + p.step() + " proposed by " + p.proposer() + ")",
                "ok", 0, 0, ""));
        announce.accept("#" + p.id() + " " + (approve ? "approved" : "cancelled") + " by " + who);
    }
}
