package dev.cutover.replication;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a psync link stood when it was stopped cleanly: the source's replication id and the
 * offset the target has applied, so {@code replicate --resume} continues with a partial resync.
 * A checkpoint is written only after every command sent has its reply; one left "in flight"
 * (the shell died mid-stream) is refused, because resuming from it could apply a write twice.
 */
public record PsyncCheckpoint(String replid, long offset, int db, boolean clean, String source, String target) {

    public static Path file(Path stateDir, String source, String target) {
        String name = (source + "_to_" + target).replaceAll("[^A-Za-z0-9._-]", "_");
        return stateDir.resolve("psync").resolve(name + ".properties");
    }

    public void write(Path file) {
        Properties p = new Properties();
        p.setProperty("replid", replid);
        p.setProperty("offset", Long.toString(offset));
        p.setProperty("db", Integer.toString(db));
        p.setProperty("clean", Boolean.toString(clean));
        p.setProperty("source", source);
        p.setProperty("target", target);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "cutover psync checkpoint");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CutoverException.failed("cannot write the psync checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    public static Optional<PsyncCheckpoint> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new PsyncCheckpoint(p.getProperty("replid", ""),
                    Long.parseLong(p.getProperty("offset", "-1")), Integer.parseInt(p.getProperty("db", "0")),
                    Boolean.parseBoolean(p.getProperty("clean")),
                    p.getProperty("source", ""), p.getProperty("target", "")));
        } catch (IOException | NumberFormatException e) {
            throw CutoverException.precondition("the psync checkpoint " + file + " cannot be read (" + e.getMessage()
                    + "): delete it and run replicate without --resume for a full copy");
        }
    }
}
