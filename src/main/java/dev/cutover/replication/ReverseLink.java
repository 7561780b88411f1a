package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.endpoint.VersionFacts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The way back where native replication has none (a Redis 7.0 old source cannot load what a
 * Valkey 9.1 target sends): the old source runs {@code REPLICAOF} this shell, and psync mode
 * replicates the new primary into it through a {@link ReplicaFeed}. The old source stays current
 * and read-only, so a rollback can carry the clients back. The shell must keep running.
 */
public final class ReverseLink {
    private ReverseLink() {
    }

    /** Starts the reverse link; {@code newPrimary} is the cutover's target, {@code oldSource} its source. */
    public static ReplicationLink start(Endpoint newPrimary, Endpoint oldSource) {
        ReplicaFeed feed = ReplicaFeed.listen(localAddressTowards(oldSource));
        try {
            oldSource.call("REPLICAOF", feed.host(), Integer.toString(feed.port()));
            feed.accept(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            feed.shutdown();
            try {
                oldSource.call("REPLICAOF", "NO", "ONE");
            } catch (CutoverException ignored) {
                // reported below with the cause
            }
            throw CutoverException.failed("the old source did not start replicating from this shell (" + e.getMessage()
                    + "); it refuses writes as before. Check that it can reach " + feed.host() + ":" + feed.port(), e);
        }
        PsyncReplica.Settings settings = new PsyncReplica.Settings(newPrimary.uri(), newPrimary.options(),
                oldSource.uri(), oldSource.options(), VersionFacts.rdb(oldSource.serverInfo().version()), null,
                PsyncReplicator.WINDOW, PsyncReplicator.SILENCE, 3,
                ServerInfo.parse(newPrimary.info("keyspace")).totalKeys(),
                VersionFacts.psyncAnnounce(newPrimary.serverInfo().version()),
                VersionFacts.hasHashFieldTtl(oldSource.serverInfo().version()), false,
                StreamFeatures.of(oldSource.serverInfo().version(), false), offset -> feed, () -> {
                    feed.shutdown();
                    oldSource.call("REPLICAOF", "NO", "ONE"); // the rollback's stop: the old source leads again
                });
        long startOffset;
        PsyncReplica replica;
        try {
            startOffset = SyncProgress.number(newPrimary.infoFields("replication").get("master_repl_offset"));
            replica = PsyncReplica.start(settings, Optional.empty(), false);
        } catch (RuntimeException e) {
            feed.shutdown();
            throw CutoverException.failed("the reverse link did not start: " + e.getMessage(), e);
        }
        OffsetSampler sampler = new OffsetSampler(newPrimary, replica::progress, System::nanoTime);
        sampler.start();
        return new ReplicationLink(ReplicateOptions.Mode.PSYNC, newPrimary.uri().address(), List.of(), false,
                Instant.now(), startOffset, sampler, replica);
    }

    /** The address of this host that the old source's connections come back to. */
    private static InetAddress localAddressTowards(Endpoint server) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(server.uri().host(), server.uri().port()), 5_000);
            return probe.getLocalAddress();
        } catch (IOException e) {
            throw CutoverException.failed("cannot find the address the old source reaches this shell by: "
                    + e.getMessage(), e);
        }
    }
}
