package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PendingQueueTest {
    @Test
    void plainRequestsOfOneBatchShareAnEntryUntilTheBatchIsSent() {
        PendingQueue q = new PendingQueue();
        assertTrue(q.addPlain((byte) 0));
        assertFalse(q.addPlain((byte) 0), "same flags, same batch: joins");
        assertTrue(q.addPlain(PendingQueue.WRITE), "other flags: a new entry");
        assertFalse(q.addPlain(PendingQueue.WRITE));
        q.stampLast(2, 5);
        assertTrue(q.addPlain(PendingQueue.WRITE), "a new batch starts a new entry");
        assertEquals(3, q.size());
        assertEquals(3, q.repliesFlagged(PendingQueue.WRITE), "write replies still owed, not entries");
        assertFalse(q.countDown());
        assertTrue(q.countDown(), "the first entry ends with its second reply");
        assertEquals(2, q.count());
        assertEquals(5, q.nanos());
    }

    @Test
    void severalRepliesOfABatchAreCountedOffTogether() {
        PendingQueue q = new PendingQueue();
        for (int i = 0; i < 16; i++) {
            q.addPlain(PendingQueue.WRITE);
        }
        q.add(PendingQueue.LOCAL, (byte) 0, 0, 0, new byte[0]);
        q.countDown(10);
        assertEquals(6, q.count(), "part of the batch answered: the entry stays");
        q.countDown(6);
        assertEquals(PendingQueue.LOCAL, q.kind(), "the whole batch answered: the next entry is at the head");
        assertEquals(1, q.size());
    }

    @Test
    void anEntryWithStateNeverTakesPlainRequests() {
        PendingQueue q = new PendingQueue();
        q.add(PendingQueue.REPLY, (byte) 0, 1, 0, "select");
        assertTrue(q.addPlain((byte) 0));
        q.add(PendingQueue.LOCAL, (byte) 0, 0, 0, new byte[0]);
        assertTrue(q.addPlain((byte) 0), "nothing joins across a made-up reply: order is kept");
        assertEquals(4, q.size());
    }

    @Test
    void theRingGrowsAndKeepsTheOpenRun() {
        PendingQueue q = new PendingQueue();
        for (int i = 0; i < 40; i++) {
            q.add(PendingQueue.REPLY, (byte) 0, 1, 0, i);
        }
        assertTrue(q.addPlain((byte) 0));
        for (int i = 0; i < 10; i++) {
            q.pop();
        }
        assertFalse(q.addPlain((byte) 0));
        assertEquals(31, q.size());
    }
}
