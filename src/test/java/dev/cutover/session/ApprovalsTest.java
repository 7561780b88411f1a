package dev.cutover.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalsTest {
    private static final Actor ALICE = new Actor("alice", "user ops1");
    private static final Actor ALICE2 = new Actor("alice2", "user ops1");
    private static final Actor BOB = new Actor("bob", "credential bob");

    @TempDir
    Path dir;

    private Approvals approvals() {
        return new Approvals(new Journal(dir.resolve("j.jsonl"), Clock.systemUTC(), () -> "connected"));
    }

    private static CompletableFuture<Void> inThread(Runnable step) {
        return CompletableFuture.runAsync(step, r -> new Thread(r).start());
    }

    private static void awaitPending(Approvals a, int n) throws InterruptedException {
        while (a.pending().size() < n) {
            Thread.sleep(5);
        }
    }

    @Test
    void offByDefaultAndOnlyOneOrTwo() {
        Approvals a = approvals();
        a.await("stop", ALICE); // returns at once
        assertThrows(CutoverException.Usage.class, () -> a.require(3, ALICE));
        assertThrows(CutoverException.Precondition.class, () -> a.approve(Optional.empty(), BOB));
    }

    @Test
    void theSameIdentityUnderAnotherNameCannotApprove() throws Exception {
        Approvals a = approvals();
        a.require(2, ALICE); // tightening takes effect at once
        CompletableFuture<Void> step = inThread(() -> a.await("repoint", ALICE));
        awaitPending(a, 1);
        var own = assertThrows(CutoverException.Precondition.class, () -> a.approve(Optional.empty(), ALICE2));
        assertTrue(own.getMessage().contains("you are the same user ops1: another person must approve it"), own.getMessage());
        assertThrows(CutoverException.Usage.class, () -> a.approve(Optional.of(9), BOB));
        a.approve(Optional.of(1), BOB);
        step.get(10, TimeUnit.SECONDS);
        assertEquals(0, a.pending().size());
        String journal = Files.readString(dir.resolve("j.jsonl"));
        assertTrue(journal.contains("approve #1 (repoint proposed by alice (user ops1); approved by bob (credential bob))"), journal);
    }

    @Test
    void turningApprovalsOffIsAStepThatNeedsApproval() throws Exception {
        Approvals a = approvals();
        a.require(2, ALICE);
        CompletableFuture<Void> off = inThread(() -> a.require(1, ALICE));
        awaitPending(a, 1);
        assertEquals(2, a.required(), "approvals went off before anyone approved");
        assertEquals("set approvals 1", a.pending().getFirst().step());
        a.cancel(Optional.empty(), ALICE2);
        var cancelled = assertThrows(ExecutionException.class, () -> off.get(10, TimeUnit.SECONDS));
        assertTrue(cancelled.getCause() instanceof CutoverException.Precondition, cancelled.toString());
        assertEquals(2, a.required());

        CompletableFuture<Void> again = inThread(() -> a.require(1, ALICE));
        awaitPending(a, 1);
        a.approve(Optional.empty(), BOB);
        again.get(10, TimeUnit.SECONDS);
        assertEquals(1, a.required());
    }

    @Test
    void aRemovedProposersStepsAreCancelled() throws Exception {
        Approvals a = approvals();
        a.require(2, BOB);
        CompletableFuture<Void> step = inThread(() -> a.await("stop", ALICE));
        CompletableFuture<Void> other = inThread(() -> a.await("unfreeze", BOB));
        awaitPending(a, 2);
        a.cancelProposedBy(p -> p.identity().equals("user ops1"), "its proposer was removed");
        var e = assertThrows(ExecutionException.class, () -> step.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("stop was cancelled: its proposer was removed"), e.getCause().getMessage());
        assertFalse(other.isDone(), "another person's step was cancelled too");
        a.approve(Optional.empty(), ALICE);
        other.get(10, TimeUnit.SECONDS);
    }
}
