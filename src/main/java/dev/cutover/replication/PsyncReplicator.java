package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.VersionFacts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Starts psync mode: finds the checkpoint when resuming, starts the shell's own replica and
 * waits until it streams (drawing progress), or gives up when it makes no progress for the
 * link timeout. Nothing is changed on the target's configuration.
 */
public final class PsyncReplicator {
    static final int WINDOW = 4096;
    static final Duration SILENCE = Duration.ofMinutes(2);

    private PsyncReplicator() {
    }

    public static ReplicationLink start(Endpoint source, Endpoint target, ReplicateOptions options, Path stateDir,
                                        ProgressListener listener, Clock clock) {
        Path file = PsyncCheckpoint.file(stateDir, source.uri().address(), target.uri().address());
        Optional<PsyncCheckpoint> resume = Optional.empty();
        if (options.resume()) {
            PsyncCheckpoint checkpoint = PsyncCheckpoint.read(file).orElseThrow(() -> CutoverException.precondition(
                    "there is no psync checkpoint for " + source.uri().address() + " → " + target.uri().address()
                            + ": run 'replicate --mode psync' without --resume for a full copy"));
            if (!checkpoint.clean()) {
                throw CutoverException.precondition("the last psync link of this pair did not end cleanly (the shell"
                        + " stopped while writes were in flight), so resuming could apply a write twice: run 'replicate"
                        + " --mode psync --flush-target' for a full copy");
            }
            resume = Optional.of(checkpoint);
        }
        long startOffset = SyncProgress.number(source.infoFields("replication").get("master_repl_offset"));
        PsyncReplica.Settings settings = new PsyncReplica.Settings(source.uri(), source.options(), target.uri(),
                target.options(), VersionFacts.rdb(target.serverInfo().version()), file, WINDOW,
                SILENCE.compareTo(options.linkTimeout()) > 0 ? SILENCE : options.linkTimeout(), 3,
                dev.cutover.endpoint.ServerInfo.parse(source.info("keyspace")).totalKeys(),
                VersionFacts.psyncAnnounce(source.serverInfo().version()),
                VersionFacts.hasHashFieldTtl(target.serverInfo().version()), options.dropFieldTtl(),
                StreamFeatures.of(target.serverInfo().version(), options.dropStreamIdempotency()));
        PsyncReplica replica = PsyncReplica.start(settings, resume, options.flushTarget());
        OffsetSampler sampler = new OffsetSampler(source, replica::progress, System::nanoTime);
        ReplicationLink link = new ReplicationLink(ReplicateOptions.Mode.PSYNC, source.uri().address(), List.of(), false,
                clock.instant(), startOffset, sampler, replica);
        return LinkStart.finish(link, options, replica::alive, replica::note, listener);
    }
}
