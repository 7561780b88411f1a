package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaBufferCheckTest {
    @Test
    void readsTheReplicaClassWhateverTheServerCallsIt() {
        assertArrayEquals(new long[] {268435456, 67108864, 60}, ReplicaBufferCheck.limit(List.of(
                "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")));
        assertArrayEquals(new long[] {512L << 20, 128L << 20, 30}, ReplicaBufferCheck.limit(List.of(
                "client-output-buffer-limit", "normal 0 0 0 replica 512mb 128mb 30 pubsub 32mb 8mb 60")));
        assertNull(ReplicaBufferCheck.limit(List.of("client-output-buffer-limit", "normal 0 0 0")));
        assertNull(ReplicaBufferCheck.limit("unexpected"));
    }
}
