package dev.cutover.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalsTest {
    @TempDir
    Path dir;

    private Approvals approvals() {
        return new Approvals(new Journal(dir.resolve("j.jsonl"), Clock.systemUTC(), () -> "connected"));
    }

    @Test
    void offByDefaultAndOnlyOneOrTwo() {
        Approvals a = approvals();
        a.await("stop", "alice"); // returns at once
        assertThrows(CutoverException.Usage.class, () -> a.require(3));
        assertThrows(CutoverException.Precondition.class, () -> a.approve(Optional.empty(), "bob"));
    }

    @Test
    void theProposerCannotApproveTheirOwnStep() throws Exception {
        Approvals a = approvals();
        a.require(2);
        CompletableFuture<Void> step = CompletableFuture.runAsync(() -> a.await("repoint", "alice"), r -> new Thread(r).start());
        while (a.pending().isEmpty()) {
            Thread.sleep(5);
        }
        var own = assertThrows(CutoverException.Precondition.class, () -> a.approve(Optional.empty(), "alice"));
        assertTrue(own.getMessage().contains("another operator must approve it"), own.getMessage());
        assertThrows(CutoverException.Usage.class, () -> a.approve(Optional.of(9), "bob"));
        a.approve(Optional.of(1), "bob");
        step.get(10, TimeUnit.SECONDS);
        assertEquals(0, a.pending().size());
    }
}
