package dev.cutover.local;

import dev.cutover.endpoint.ServerKind;

/** The server versions cutover is tested against; each is provisioned by scripts/provision-servers.sh. */
public enum Flavour {
    REDIS_7("redis7", ServerKind.REDIS, 7, 0, "redis-server"),
    REDIS_8("redis8", ServerKind.REDIS, 8, 0, "redis-server"),
    /** The newest Redis: writes RDB 13 (streams with producer idempotency, key metadata of modules). */
    REDIS_86("redis86", ServerKind.REDIS, 8, 6, "redis-server"),
    VALKEY_8("valkey8", ServerKind.VALKEY, 8, 0, "valkey-server"),
    VALKEY_9("valkey9", ServerKind.VALKEY, 9, 1, "valkey-server");

    private final String id;
    private final ServerKind kind;
    private final int major;
    private final int minor;
    private final String binary;

    Flavour(String id, ServerKind kind, int major, int minor, String binary) {
        this.id = id;
        this.kind = kind;
        this.major = major;
        this.minor = minor;
        this.binary = binary;
    }

    public String id() {
        return id;
    }

    public ServerKind kind() {
        return kind;
    }

    public String binary() {
        return binary;
    }

    public String display() {
        return kind.display() + " " + major + "." + minor;
    }

    /** The environment variable that can point at this flavour's server binary. */
    public String envVar() {
        return "CUTOVER_" + id.toUpperCase(java.util.Locale.ROOT) + "_SERVER";
    }

    boolean matches(String versionOutput) {
        // "Redis server v=7.0.15 sha=..." / "Valkey server v=9.1.2 ..."
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\d+)\\.(\\d+)").matcher(versionOutput);
        boolean family = versionOutput.toLowerCase(java.util.Locale.ROOT).startsWith(kind.display().toLowerCase(java.util.Locale.ROOT));
        return family && m.find() && Integer.parseInt(m.group(1)) == major && Integer.parseInt(m.group(2)) == minor;
    }

    /** The flavour an id names ("redis7", "valkey9" …), as provision-servers.sh and --source/--target spell it. */
    public static java.util.Optional<Flavour> byId(String id) {
        for (Flavour f : values()) {
            if (f.id.equalsIgnoreCase(id)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether provisioning builds it from source (minutes) rather than installs or unpacks a package (seconds). */
    public boolean builtFromSource() {
        return this == VALKEY_9 || this == REDIS_8 || this == REDIS_86;
    }
}
