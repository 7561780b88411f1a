package dev.cutover.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of what careless and hostile clients send: well-formed multi-bulk and
 * inline requests with every quoting the server knows, and their mutations (flipped and dropped
 * bytes, lengths with leading zeros, signs, overflow, nested arrays, NULs, unbalanced quotes).
 * The same seed gives the same bytes, so a failure names its seed and reproduces.
 */
final class HostileBytes {
    private static final List<String[]> COMMANDS = List.of(
            new String[] {"PING"}, new String[] {"ECHO", "hello world"}, new String[] {"SET", "k", "v1"},
            new String[] {"GET", "k"}, new String[] {"INCR", "n"}, new String[] {"DEL", "k"},
            new String[] {"RPUSH", "l", "a", "b"}, new String[] {"LRANGE", "l", "0", "-1"},
            new String[] {"SET", "q", "with \"quotes\" and 'single'"}, new String[] {"GET", "q"},
            new String[] {"EXISTS", "k", "n"}, new String[] {"NOSUCHCOMMAND", "x"}, new String[] {"get", "n"},
            new String[] {"HSET", "h", "f", "\u00e9\u0001\u007f"}, new String[] {"HGETALL", "h"},
            new String[] {"SET", "k"}, new String[] {"STRLEN", "q"});

    private final Random random;

    HostileBytes(long seed) {
        random = new Random(seed);
    }

    /** One client's whole transmission: a few requests, possibly mutated. */
    byte[] next() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String[] command = COMMANDS.get(random.nextInt(COMMANDS.size()));
            byte[] request = random.nextInt(3) == 0 ? inline(command) : multiBulk(command);
            out.writeBytes(random.nextInt(4) == 0 ? mutate(request) : request);
        }
        return out.toByteArray();
    }

    private byte[] multiBulk(String[] args) {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(number(args.length)).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(number(b.length)).append("\r\n").append(new String(b, StandardCharsets.ISO_8859_1))
                    .append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A length, now and then written as a server would not take it (or as it would, oddly). */
    private String number(int n) {
        return switch (random.nextInt(24)) {
            case 0 -> "0" + n;
            case 1 -> "+" + n;
            case 2 -> " " + n;
            case 3 -> "-" + n;
            case 4 -> n + " ";
            case 5 -> "99999999999999999999";
            case 6 -> "-0";
            case 7 -> "536870912";
            case 8 -> "2147483648";
            case 9 -> "";
            default -> Integer.toString(n);
        };
    }

    private byte[] inline(String[] args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (!sb.isEmpty()) {
                sb.append(random.nextInt(5) == 0 ? " \t " : " ");
            }
            sb.append(switch (random.nextInt(5)) {
                case 0 -> doubleQuoted(a);
                case 1 -> singleQuoted(a);
                case 2 -> hexQuoted(a);
                default -> a.contains(" ") || a.contains("\"") || a.contains("'") ? doubleQuoted(a) : a;
            });
        }
        sb.append(random.nextInt(4) == 0 ? "\n" : "\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String doubleQuoted(String a) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte c : a.getBytes(StandardCharsets.UTF_8)) {
            int u = c & 0xff;
            switch (u) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(u < 32 || u > 126 ? String.format("\\x%02x", u) : String.valueOf((char) u));
            }
        }
        return sb.append('"').toString();
    }

    private static String singleQuoted(String a) {
        return "'" + new String(a.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1).replace("'", "\\'") + "'";
    }

    private static String hexQuoted(String a) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte c : a.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("\\x%02X", c & 0xff));
        }
        return sb.append('"').toString();
    }

    private byte[] mutate(byte[] request) {
        byte[] b = request.clone();
        return switch (random.nextInt(9)) {
            case 0 -> { // flip a byte
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                yield b;
            }
            case 1 -> java.util.Arrays.copyOf(b, random.nextInt(b.length)); // cut short: the rest never comes
            case 2 -> concat("*1\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII), b); // nested array
            case 3 -> concat(b, new byte[] {0, 'x', '\r', '\n'}); // a NUL in an inline line
            case 4 -> concat("\"SET\"x k 1\r\n".getBytes(StandardCharsets.US_ASCII), b); // closing quote then a letter
            case 5 -> concat("'unbalanced\r\n".getBytes(StandardCharsets.US_ASCII), b);
            case 6 -> concat("\r\n\r\n  \r\n*0\r\n*-1\r\n".getBytes(StandardCharsets.US_ASCII), b); // empties are skipped
            case 7 -> concat("*1\r\n$4\r\nPINGxx".getBytes(StandardCharsets.US_ASCII), b); // payload not followed by CRLF
            default -> concat("$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII), b); // a bulk with no array
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
