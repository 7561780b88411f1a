package dev.cutover.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.CutoverException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T09:26:53.589793Z"), ZoneOffset.UTC);
    private static final String TIME = "2025-03-14T09:26:53.589Z";

    @TempDir
    Path dir;
    Path file;
    AtomicReference<String> state;
    Journal journal;

    @BeforeEach
    void setUp() {
        file = dir.resolve("journal").resolve("s1.jsonl");
        state = new AtomicReference<>("idle");
        journal = new Journal(file, CLOCK, state::get);
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void successAppendsOneRedactedLine() throws Exception {
        String result = journal.record("alice", "connect source redis://admin:hunter2@db1:6379/2", () -> {
            state.set("connected");
            return "done";
        });
        assertEquals("done", result);
        assertEquals(file, journal.file());
        List<String> lines = lines();
        assertEquals(1, lines.size());
        JsonNode n = JSON.readTree(lines.get(0));
        assertEquals(TIME, n.get("time").asText());
        assertEquals("alice", n.get("operator").asText());
        assertEquals("connect source redis://admin:***@db1:6379/2", n.get("input").asText());
        assertEquals("ok", n.get("outcome").asText());
        assertEquals(0, n.get("exitCode").asInt());
        assertTrue(n.get("durationMs").asLong() >= 0);
        assertEquals("connected", n.get("state").asText());
        assertFalse(Files.readString(file).contains("hunter2"));
    }

    @Test
    void passwordOptionAndAuthNeverReachTheFile() throws Exception {
        journal.record("bob", "connect target valkeys://db2 --password hunter2", () -> null);
        journal.record("bob", "AUTH hunter2", () -> null);
        journal.record("bob", "connect source redis://hunter2@db1", () -> null);
        String text = Files.readString(file);
        assertFalse(text.contains("hunter2"), text);
        List<JournalEntry> entries = journal.tail(10);
        assertEquals(List.of("connect target valkeys://db2 --password ***", "AUTH ***",
                "connect source redis://***@db1"), entries.stream().map(JournalEntry::input).toList());
    }

    @Test
    void preconditionFailureIsRecordedWithExitCode3AndRethrown() throws Exception {
        CutoverException.Precondition boom = CutoverException.precondition("the target is not empty");
        CutoverException.Precondition thrown = assertThrows(CutoverException.Precondition.class,
                () -> journal.record("carol", "sync", () -> {
                    throw boom;
                }));
        assertSame(boom, thrown);
        JsonNode n = JSON.readTree(lines().get(0));
        assertEquals("the target is not empty", n.get("outcome").asText());
        assertEquals(3, n.get("exitCode").asInt());
        assertEquals("carol", n.get("operator").asText());
        assertEquals("sync", n.get("input").asText());
        assertEquals("idle", n.get("state").asText());
    }

    @Test
    void otherFailuresMapToTheirExitCodes() throws Exception {
        assertThrows(CutoverException.Usage.class, () -> journal.record("d", "bad", () -> {
            throw CutoverException.usage("no such command");
        }));
        assertThrows(IllegalStateException.class, () -> journal.record("d", "x", () -> {
            throw new IllegalStateException("unexpected");
        }));
        assertThrows(CutoverException.Connection.class, () -> journal.record("d", "y", () -> {
            throw CutoverException.connection("cannot reach db1", null);
        }));
        assertThrows(NullPointerException.class, () -> journal.record("d", "z", () -> {
            throw new NullPointerException();
        }));
        List<JournalEntry> e = journal.tail(10);
        assertEquals(List.of(2, 1, 4, 1), e.stream().map(JournalEntry::exitCode).toList());
        assertEquals(List.of("no such command", "unexpected", "cannot reach db1", "null"),
                e.stream().map(JournalEntry::outcome).toList());
    }

    @Test
    void errorMessagesAreRedactedToo() throws Exception {
        assertThrows(CutoverException.Connection.class, () -> journal.record("e",
                "connect source redis://u:hunter2@db1", () -> {
                    throw CutoverException.connection("cannot reach redis://u:hunter2@db1:6379", null);
                }));
        String text = Files.readString(file);
        assertFalse(text.contains("hunter2"), text);
        assertEquals("cannot reach redis://u:***@db1:6379", journal.tail(1).get(0).outcome());
    }

    @Test
    void tailReturnsTheLastEntriesInOrder() {
        for (int i = 1; i <= 5; i++) {
            String step = "step " + i;
            journal.record("op", step, () -> step);
        }
        assertEquals(List.of("step 4", "step 5"), journal.tail(2).stream().map(JournalEntry::input).toList());
        assertEquals(5, journal.tail(100).size());
        assertEquals(List.of(), journal.tail(0));
        JournalEntry last = journal.tail(1).get(0);
        assertEquals(TIME, last.time());
        assertEquals("op", last.operator());
        assertEquals("ok", last.outcome());
        assertEquals(0, last.exitCode());
        assertEquals("idle", last.state());
    }

    @Test
    void tailOfMissingFileIsEmpty() {
        assertFalse(Files.exists(file));
        assertEquals(List.of(), journal.tail(5));
    }

    @Test
    void appendWritesOneJsonLinePerEntry() throws Exception {
        journal.append(new JournalEntry("t1", "op", "a", "ok", 0, 12, "idle"));
        journal.append(new JournalEntry("t2", "op", "b\nc", "failed", 1, 3, "idle"));
        List<String> lines = lines();
        assertEquals(2, lines.size());
        assertEquals("{\"time\":\"t1\",\"operator\":\"op\",\"input\":\"a\",\"outcome\":\"ok\",\"exitCode\":0,"
                + "\"durationMs\":12,\"state\":\"idle\"}", lines.get(0));
        assertEquals(new JournalEntry("t2", "op", "b\nc", "failed", 1, 3, "idle"), journal.tail(1).get(0));
    }
}
