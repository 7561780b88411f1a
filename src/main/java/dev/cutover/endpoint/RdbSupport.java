package dev.cutover.endpoint;

/**
 * What a server writes and what it can load.
 *
 * @param written       the RDB version it writes to its own files
 * @param maxLoadable   the highest RDB version it loads in its default (strict) configuration
 * @param relaxable     whether {@code rdb-version-check relaxed} lets it try newer, "foreign" versions
 * @param alsoLoads     an extra version outside the range it loads (Valkey 9's own 80), or 0
 */
public record RdbSupport(int written, int maxLoadable, boolean relaxable, int alsoLoads) {

    public boolean loads(int rdbVersion, boolean relaxed) {
        if (rdbVersion <= maxLoadable || (alsoLoads != 0 && rdbVersion == alsoLoads)) {
            return true;
        }
        return relaxed && relaxable;
    }

    public String loadableText() {
        String range = "RDB 1-" + maxLoadable + (alsoLoads != 0 ? " and " + alsoLoads : "");
        return relaxable ? range + " (newer only with rdb-version-check relaxed)" : range;
    }
}
