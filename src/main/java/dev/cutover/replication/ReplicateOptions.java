package dev.cutover.replication;

import dev.cutover.CutoverException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * @param mode          auto, native or psync (scan is not built yet)
 * @param flushTarget   the operator accepts that a non-empty target is overwritten
 * @param linkTimeout   how long the link may make no progress before replicate undoes itself
 * @param background    return once the target accepted REPLICAOF instead of waiting for the sync
 * @param sourceAddress host:port the target should use to reach the source, if not the URI's
 * @param resume        psync mode: continue from the checkpoint a clean stop left, without a full copy
 * @param dropFieldTtl  psync mode into a target without hash-field TTLs: keep the fields, drop their TTLs
 * @param dropStreamIdempotency into a target without stream idempotency (all but Redis 8.6): move the
 *                      streams without their producers' recorded ids and settings
 */
public record ReplicateOptions(Mode mode, boolean flushTarget, Duration linkTimeout, boolean background,
                               Optional<String> sourceAddress, boolean resume, boolean dropFieldTtl,
                               boolean dropStreamIdempotency) {
    public enum Mode {
        AUTO, NATIVE, PSYNC, SCAN;

        public static Mode parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CutoverException.usage("unknown mode '" + text + "': use auto, native, psync or scan");
            }
        }
    }

    public ReplicateOptions {
        if (linkTimeout.isNegative() || linkTimeout.isZero()) {
            throw CutoverException.usage("--link-timeout must be positive");
        }
        if (resume && mode != Mode.PSYNC) {
            throw CutoverException.usage("--resume continues a psync link: use it with --mode psync");
        }
        if (dropFieldTtl && mode != Mode.PSYNC && mode != Mode.AUTO) {
            throw CutoverException.usage("--drop-field-ttl is for psync mode (native replication cannot drop them)");
        }
        if (dropStreamIdempotency && mode == Mode.NATIVE) {
            throw CutoverException.usage("--drop-stream-idempotency is for psync and scan mode (native replication"
                    + " cannot drop it)");
        }
        if (resume && flushTarget) {
            throw CutoverException.usage("--resume keeps the target's data; it cannot go with --flush-target");
        }
        sourceAddress.ifPresent(a -> {
            if (!a.matches("[^:\\s]+:\\d{1,5}")) {
                throw CutoverException.usage("--source-address '" + a + "' must be host:port");
            }
        });
    }

    public ReplicateOptions(Mode mode, boolean flushTarget, Duration linkTimeout, boolean background,
                            Optional<String> sourceAddress, boolean resume, boolean dropFieldTtl) {
        this(mode, flushTarget, linkTimeout, background, sourceAddress, resume, dropFieldTtl, false);
    }

    public static ReplicateOptions defaults() {
        return new ReplicateOptions(Mode.AUTO, false, Duration.ofSeconds(30), false, Optional.empty(), false, false);
    }
}
