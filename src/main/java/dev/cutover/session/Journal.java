package dev.cutover.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.ExitCoded;
import dev.cutover.endpoint.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The session's journal: one JSON object per line, appended as each step ends. Inputs are
 * redacted before they are written, so no password ever reaches the file.
 */
public final class Journal {
    /** Jackson is loaded at the first entry, not when a session starts (it costs start-up time). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Path file;
    private final Clock clock;
    private final Supplier<String> state;

    public Journal(Path file, Clock clock, Supplier<String> state) {
        this.file = file;
        this.clock = clock;
        this.state = state;
    }

    public Path file() {
        return file;
    }

    /** Runs {@code step}, then appends what happened, whether it succeeded or threw. */
    public <T> T record(String operator, String input, Supplier<T> step) {
        Instant start = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long t0 = System.nanoTime();
        try {
            T result = step.get();
            append(new JournalEntry(start.toString(), operator, Redaction.line(input), "ok", 0,
                    elapsedMs(t0), state.get()));
            return result;
        } catch (RuntimeException e) {
            int code = e instanceof ExitCoded coded ? coded.exitCode() : ExitCode.STEP_FAILED;
            append(new JournalEntry(start.toString(), operator, Redaction.line(input),
                    Redaction.line(String.valueOf(e.getMessage())), code, elapsedMs(t0), state.get()));
            throw e;
        }
    }

    public synchronized void append(JournalEntry entry) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.MAPPER.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
        }
    }

    public synchronized List<JournalEntry> tail(int count) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<JournalEntry> entries = new ArrayList<>();
            for (String line : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
                if (!line.isBlank()) {
                    entries.add(Json.MAPPER.readValue(line, JournalEntry.class));
                }
            }
            return entries;
        } catch (IOException e) {
            throw CutoverException.failed("cannot read the journal " + file + ": " + e.getMessage());
        }
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
