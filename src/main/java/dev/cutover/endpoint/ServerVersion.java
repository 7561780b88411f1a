package dev.cutover.endpoint;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's kind and version, e.g. Valkey 9.1.2 or Redis 7.0.15. */
public record ServerVersion(ServerKind kind, int major, int minor, int patch) implements Comparable<ServerVersion> {
    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Comparator<ServerVersion> ORDER = Comparator.comparingInt(ServerVersion::major)
            .thenComparingInt(ServerVersion::minor).thenComparingInt(ServerVersion::patch);

    public static ServerVersion parse(ServerKind kind, String text) {
        Matcher m = NUMBERS.matcher(text == null ? "" : text);
        if (!m.find()) {
            return new ServerVersion(kind, 0, 0, 0);
        }
        return new ServerVersion(kind, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    public boolean isValkey() {
        return kind == ServerKind.VALKEY;
    }

    public boolean isRedis() {
        return kind == ServerKind.REDIS;
    }

    @Override
    public int compareTo(ServerVersion o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind.display() + " " + major + "." + minor + "." + patch;
    }
}
