package dev.cutover.replication;

/** Told about the sync as it goes, e.g. to draw a progress line on a terminal. */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(SyncProgress progress, double bytesPerSecond);

    ProgressListener NONE = (p, r) -> { };
}
