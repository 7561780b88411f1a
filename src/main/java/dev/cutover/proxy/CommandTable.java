package dev.cutover.proxy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the proxy needs to know about each command, looked up from the raw name bytes without
 * allocating: whether it writes (the upstream's own COMMAND flags {@code write}, plus the
 * commands that may replicate although not flagged: scripts and functions unless {@code *_RO},
 * PUBLISH, SPUBLISH, PFCOUNT), whether it blocks, and whether its connection state matters for a
 * move to another upstream. Container commands (CLIENT, CONFIG, …) are looked up as
 * {@code "client|setname"}. Immutable once built.
 */
final class CommandTable {
    static final int WRITE = 1;
    static final int BLOCKING = 2;
    static final int CONTAINER = 4;
    /** The server runs it before a connection authenticated (its {@code no_auth} flag). */
    static final int NO_AUTH = 16;
    /** The table knows the command: an unknown one cannot be classified, so a hold holds it. */
    static final int KNOWN = 32;
    private static final int SPECIAL_SHIFT = 8;

    /** Commands whose effect on the connection is tracked, or whose replies are counted differently. */
    enum Special {
        NONE, AUTH, HELLO, SELECT, CLIENT, READONLY, READWRITE, SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE,
        UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE, MULTI, EXEC, DISCARD, WATCH, UNWATCH, RESET, QUIT, MONITOR;

        private static final Special[] ALL = values();
    }

    private static final Set<String> MAY_REPLICATE = Set.of("eval", "evalsha", "fcall", "publish", "spublish",
            "pfcount", "script|load", "script|flush");
    private static final Set<String> ALWAYS_BLOCKING = Set.of("wait", "waitaof", "xread", "xreadgroup", "blpop",
            "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop");
    /** Used until the upstream answers COMMAND (it was unreachable at start): Redis 8 and Valkey 9 write commands. */
    private static final String FALLBACK_WRITES = "append bitfield bitop blmove blmpop blpop brpop brpoplpush bzmpop"
            + " bzpopmax bzpopmin copy decr decrby del delifeq expire expireat flushall flushdb function|delete"
            + " function|flush function|load function|restore geoadd georadius georadiusbymember geosearchstore getdel"
            + " getex getset hdel hexpire hexpireat hgetdel hgetex hincrby hincrbyfloat hmset hpersist hpexpire"
            + " hpexpireat hset hsetex hsetnx incr incrby incrbyfloat linsert lmove lmpop lpop lpush lpushx lrem lset"
            + " ltrim migrate move mset msetex msetnx persist pexpire pexpireat pfadd pfdebug pfmerge psetex rename"
            + " renamenx restore restore-asking rpop rpoplpush rpush rpushx sadd sdiffstore set setbit setex setnx"
            + " setrange sinterstore smove sort spop srem sunionstore swapdb unlink vadd vrem vsetattr xack xadd"
            + " xautoclaim xclaim xdel xgroup|create xgroup|createconsumer xgroup|delconsumer xgroup|destroy"
            + " xgroup|setid xreadgroup xsetid xtrim zadd zdiffstore zincrby zinterstore zmpop zpopmax zpopmin"
            + " zrangestore zrem zremrangebylex zremrangebyrank zremrangebyscore zunionstore";
    /** The server's no_auth commands, until the upstream has told its own. */
    private static final Set<String> FALLBACK_NO_AUTH = Set.of("auth", "hello", "quit", "reset");
    private static final List<String> CONTAINERS = List.of("client", "config", "script", "function", "xgroup",
            "object", "memory", "cluster", "acl", "command", "xinfo", "latency", "module", "slowlog", "pubsub", "debug");

    private final byte[][] keys;
    private final int[] values;
    private final int mask;
    private final boolean fromServer;
    private final Dialect dialect;

    private CommandTable(Map<String, Integer> entries, boolean fromServer, Dialect dialect) {
        int size = Integer.highestOneBit(Math.max(16, entries.size() * 4 - 1)) << 1;
        keys = new byte[size][];
        values = new int[size];
        mask = size - 1;
        this.fromServer = fromServer;
        this.dialect = dialect;
        entries.forEach((name, v) -> {
            byte[] k = name.getBytes(StandardCharsets.US_ASCII);
            int i = hash(k, 0, k.length) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = v;
        });
    }

    /** The table before the upstream has told its commands. */
    static CommandTable fallback() {
        Map<String, Integer> entries = new HashMap<>();
        for (String name : FALLBACK_WRITES.split(" ")) {
            entries.put(name, WRITE);
        }
        CONTAINERS.forEach(c -> entries.put(c, 0));
        FALLBACK_NO_AUTH.forEach(n -> entries.merge(n, NO_AUTH, (a, b) -> a | b));
        return build(entries, false, Dialect.REDIS);
    }

    /**
     * From the upstream's COMMAND reply: {@code flags} maps each command (and "container|sub")
     * to its flag names; {@code dialect}: how it frames requests.
     */
    static CommandTable fromFlags(Map<String, List<String>> flags, Dialect dialect) {
        Map<String, Integer> entries = new HashMap<>();
        flags.forEach((name, f) -> entries.put(name.toLowerCase(Locale.ROOT),
                (f.contains("write") ? WRITE : 0) | (f.contains("blocking") ? BLOCKING : 0)
                        | (f.contains("no_auth") ? NO_AUTH : 0)));
        CONTAINERS.forEach(c -> entries.putIfAbsent(c, 0));
        return build(entries, true, dialect);
    }

    private static CommandTable build(Map<String, Integer> entries, boolean fromServer, Dialect dialect) {
        MAY_REPLICATE.forEach(n -> entries.merge(n, WRITE, (a, b) -> a | b));
        ALWAYS_BLOCKING.forEach(n -> entries.merge(n, BLOCKING, (a, b) -> a | b));
        for (Special s : Special.ALL) {
            if (s != Special.NONE) {
                entries.merge(s.name().toLowerCase(Locale.ROOT), s.ordinal() << SPECIAL_SHIFT, (a, b) -> a | b);
            }
        }
        Map<String, Integer> withContainers = new HashMap<>(entries);
        entries.keySet().stream().filter(k -> k.indexOf('|') > 0).map(k -> k.substring(0, k.indexOf('|')))
                .forEach(c -> withContainers.merge(c, CONTAINER, (a, b) -> a | b));
        CONTAINERS.forEach(c -> withContainers.merge(c, CONTAINER, (a, b) -> a | b));
        withContainers.replaceAll((name, v) -> v | KNOWN);
        return new CommandTable(withContainers, fromServer, dialect);
    }

    /** How the server this table came from frames requests. */
    Dialect dialect() {
        return dialect;
    }

    /** Flags of the command named by {@code b[off..off+len)}, any case; 0 (not even {@link #KNOWN}) for an unknown command. */
    int lookup(byte[] b, int off, int len) {
        int i = hash(b, off, len) & mask;
        while (true) {
            byte[] k = keys[i];
            if (k == null) {
                return 0;
            }
            if (equalsIgnoreCase(k, b, off, len)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
    }

    int lookup(String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        return lookup(b, 0, b.length);
    }

    static Special special(int flags) {
        return Special.ALL[flags >>> SPECIAL_SHIFT];
    }

    boolean fromServer() {
        return fromServer;
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            h = (h ^ c) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsIgnoreCase(byte[] k, byte[] b, int off, int len) {
        if (k.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int c = b[off + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != k[i]) {
                return false;
            }
        }
        return true;
    }
}
