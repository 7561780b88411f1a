package dev.cutover.command;

import dev.cutover.Figures;
import dev.cutover.replication.ProgressListener;
import dev.cutover.replication.SyncProgress;
import java.util.Locale;

/** Draws the full sync's progress in place on a terminal; silent without one or with --json. */
final class TerminalProgress implements ProgressListener {
    private final Console console;
    private int lastLength;

    TerminalProgress(Console console) {
        this.console = console;
    }

    static ProgressListener of(Console console) {
        return console.interactive() && !console.json() ? new TerminalProgress(console) : ProgressListener.NONE;
    }

    @Override
    public void onProgress(SyncProgress p, double bytesPerSecond) {
        String line = switch (p.phase()) {
            case CONNECTING -> "waiting for the source to start the transfer (link " + p.linkStatus() + ")";
            case TRANSFER -> transfer(p, bytesPerSecond);
            case LOADING -> String.format(Locale.ROOT, "loading on the target %s %.0f%%",
                    bar(p.loadedPercent() / 100), p.loadedPercent());
            case STREAMING -> "streaming";
        };
        String padded = line + " ".repeat(Math.max(0, lastLength - line.length()));
        lastLength = line.length();
        console.out().print("\r" + padded + (p.phase() == SyncProgress.Phase.STREAMING ? "\n" : ""));
        console.out().flush();
    }

    private long lastKeys = -1;
    private long lastKeysAt;
    private double keysPerSecond;

    private String transfer(SyncProgress p, double rate) {
        String rateText = Figures.bytes((long) rate) + "/s";
        if (p.keysWritten() >= 0 && p.keysTotal() > 0) {
            long now = System.nanoTime();
            if (lastKeys < 0) {
                lastKeys = p.keysWritten();
                lastKeysAt = now;
            } else if (now - lastKeysAt >= 500_000_000L) {
                keysPerSecond = (p.keysWritten() - lastKeys) / ((now - lastKeysAt) / 1e9);
                lastKeys = p.keysWritten();
                lastKeysAt = now;
            }
            double fraction = Math.min(1, (double) p.keysWritten() / p.keysTotal());
            String eta = keysPerSecond > 0 ? String.format(Locale.ROOT, ", ETA %.0fs",
                    Math.max(0, p.keysTotal() - p.keysWritten()) / keysPerSecond) : "";
            return "copying " + bar(fraction) + " " + Figures.count(p.keysWritten()) + " of ~"
                    + Figures.count(p.keysTotal()) + " keys at " + Figures.count((long) keysPerSecond) + " keys/s ("
                    + Figures.bytes(p.bytesRead()) + " of RDB read at " + rateText + ")" + eta;
        }
        if (p.bytesTotal() <= 0) {
            return "transferring " + Figures.bytes(p.bytesRead()) + " (diskless, size unknown) at " + rateText;
        }
        double fraction = (double) p.bytesRead() / p.bytesTotal();
        String eta = rate > 0 ? String.format(Locale.ROOT, ", ETA %.0fs", (p.bytesTotal() - p.bytesRead()) / rate) : "";
        return "transferring " + bar(fraction) + " " + Figures.bytes(p.bytesRead()) + " of "
                + Figures.bytes(p.bytesTotal()) + " at " + rateText + eta;
    }

    private static String bar(double fraction) {
        int width = 24;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
