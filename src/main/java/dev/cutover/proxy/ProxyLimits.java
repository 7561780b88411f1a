package dev.cutover.proxy;

import dev.cutover.CutoverException;
import java.util.Locale;

/**
 * What the proxy buffers at most, whatever clients send: {@code clientInput}, the largest request
 * one client may send (as the server's {@code client-query-buffer-limit}, 1 GB there by default;
 * a client over it gets an error and is closed, only that client), and {@code budget}, the bytes
 * all connections together may buffer (requests and replies waiting for a slow client); past it,
 * connections that want more stop being read until memory is given back, and one that keeps the
 * others waiting longer than {@link #PATIENCE_NANOS} while holding the most is closed.
 */
public record ProxyLimits(long clientInput, long budget) {
    /** The server's own default client-query-buffer-limit. */
    public static final long CLIENT_INPUT = 1L << 30;
    static final long PATIENCE_NANOS = 5_000_000_000L;
    /** No budget below this: every connection's first 16 KB must fit many times over. */
    static final long MIN_BUDGET = 16L << 20;

    public ProxyLimits {
        if (clientInput < 64 * 1024) {
            throw CutoverException.usage("--client-input-limit takes 64kb or more, not " + clientInput + " bytes");
        }
        if (budget < MIN_BUDGET) {
            throw CutoverException.usage("--memory-budget takes 16mb or more, not " + budget + " bytes");
        }
    }

    /** The defaults: a client as much as the server takes, all of them half of this JVM's heap. */
    public static ProxyLimits defaults() {
        long budget = Math.max(MIN_BUDGET, Runtime.getRuntime().maxMemory() / 2);
        return new ProxyLimits(Math.min(CLIENT_INPUT, budget), budget);
    }

    public ProxyLimits withClientInput(long bytes) {
        return new ProxyLimits(bytes, budget);
    }

    public ProxyLimits withBudget(long bytes) {
        return new ProxyLimits(Math.min(clientInput, bytes), bytes);
    }

    /** "512mb", "1gb", "64kb", "1048576": sizes as the server's config takes them (powers of 1024). */
    public static long parseSize(String text, String option) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1024"},
                {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).strip();
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw CutoverException.usage(option + " takes a size such as 512mb or 1gb, not '" + text + "'");
        }
    }

    /** "1.0 GiB", "512 MiB", "64 KiB" for messages. */
    static String show(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return (bytes >> 10) + " KiB";
    }
}
