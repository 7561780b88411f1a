package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.Figures;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import java.util.List;
import java.util.Locale;

/**
 * While cutover applies the RDB of a psync full sync, the source keeps the writes made meanwhile
 * in the replica's output buffer. Past its {@code client-output-buffer-limit replica} the source
 * drops the link and the full sync starts over. This check compares that limit with the current
 * write rate and a rough sync time (the measured psync rate is about 10 MB of RDB per second).
 */
final class ReplicaBufferCheck {
    static final double RDB_BYTES_PER_SECOND = 10e6;

    private ReplicaBufferCheck() {
    }

    static CheckItem check(Endpoint source, ServerInfo info) {
        long[] limit;
        try {
            limit = limit(source.call("CONFIG", "GET", "client-output-buffer-limit"));
        } catch (CutoverException e) {
            return CheckItem.warn("replica buffer", "cannot read the source's client-output-buffer-limit ("
                    + e.getMessage() + ")", "a full sync under heavy writes may be cut off and start over")
                    .only(CheckItem.Applies.PSYNC);
        }
        if (limit == null || limit[0] == 0 && limit[1] == 0) {
            return CheckItem.ok("replica buffer", "the source keeps a syncing replica's writes without limit")
                    .only(CheckItem.Applies.PSYNC);
        }
        double writeBytesPerSecond = number(info.raw().get("instantaneous_input_kbps")) * 1024;
        double syncSeconds = info.usedMemory() / 2.0 / RDB_BYTES_PER_SECOND; // an RDB is about half the memory
        long buffered = (long) (writeBytesPerSecond * syncSeconds);
        long soft = limit[1] > 0 && syncSeconds > limit[2] ? limit[1] : Long.MAX_VALUE;
        long hard = limit[0] > 0 ? limit[0] : Long.MAX_VALUE;
        String limits = "hard " + Figures.bytes(limit[0]) + ", soft " + Figures.bytes(limit[1]) + " for " + limit[2] + "s";
        String estimate = String.format(Locale.ROOT, "about %s of writes during a full sync of about %.0fs at the"
                + " current %s/s", Figures.bytes(buffered), syncSeconds, Figures.bytes((long) writeBytesPerSecond));
        if (buffered < Math.min(soft, hard) / 2) {
            return CheckItem.ok("replica buffer", "the source's replica output limit (" + limits + ") holds " + estimate)
                    .only(CheckItem.Applies.PSYNC);
        }
        return CheckItem.warn("replica buffer", "the source may drop the link during the full sync: " + estimate
                + " against its replica output limit (" + limits + ")", "raise client-output-buffer-limit replica on"
                + " the source for the migration, or replicate in a quieter hour").only(CheckItem.Applies.PSYNC);
    }

    /** {hard, soft, seconds} of the replica class, or null when absent. */
    static long[] limit(Object reply) {
        if (!(reply instanceof List<?> l) || l.size() < 2) {
            return null;
        }
        String[] words = String.valueOf(l.get(1)).trim().split("\\s+");
        for (int i = 0; i + 3 < words.length; i += 4) {
            if (words[i].equals("slave") || words[i].equals("replica")) {
                return new long[] {bytes(words[i + 1]), bytes(words[i + 2]), Long.parseLong(words[i + 3])};
            }
        }
        return null;
    }

    private static long bytes(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        long unit = t.endsWith("gb") ? 1L << 30 : t.endsWith("mb") ? 1L << 20 : t.endsWith("kb") ? 1L << 10 : 1;
        return Long.parseLong(t.replaceAll("[a-z]", "")) * unit;
    }

    private static double number(String text) {
        try {
            return text == null ? 0 : Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
