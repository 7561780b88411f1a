package dev.cutover.verify;

import dev.cutover.endpoint.Endpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A key's type and a SHA-256 of its value, read with ordinary commands so it compares across
 * server versions (DUMP payloads differ between versions, and DEBUG is usually disabled).
 * Unordered types (set, hash) are sorted first; large keys are read in pages.
 */
public record KeyFingerprint(String type, String valueHash, long pttl) {
    private static final int PAGE = 1000;

    public static KeyFingerprint read(Endpoint endpoint, String key) {
        String type = String.valueOf(endpoint.call("TYPE", key));
        if (type.equals("none")) {
            return new KeyFingerprint("none", "", -2);
        }
        long pttl = ((Number) endpoint.call("PTTL", key)).longValue();
        List<String> parts = switch (type) {
            case "string" -> List.of(String.valueOf(endpoint.call("GET", key)));
            case "list" -> pagedRange(endpoint, "LRANGE", key);
            case "zset" -> pagedRange(endpoint, "ZRANGE", key, "WITHSCORES");
            case "set" -> sorted(scanAll(endpoint, "SSCAN", key, 1));
            case "hash" -> sorted(pairs(scanAll(endpoint, "HSCAN", key, 2)));
            case "stream" -> streamParts(endpoint, key);
            default -> List.of("unsupported:" + type); // module types: compared by type only
        };
        return new KeyFingerprint(type, hash(parts), pttl);
    }

    private static List<String> pagedRange(Endpoint e, String command, String key, String... extra) {
        List<String> all = new ArrayList<>();
        for (long start = 0; ; start += PAGE) {
            List<String> args = new ArrayList<>(List.of(command, key, String.valueOf(start), String.valueOf(start + PAGE - 1)));
            args.addAll(List.of(extra));
            List<?> page = (List<?>) e.call(args);
            page.forEach(x -> all.add(String.valueOf(x)));
            if (page.size() < PAGE * (extra.length > 0 ? 2 : 1)) {
                return all;
            }
        }
    }

    private static List<String> scanAll(Endpoint e, String command, String key, int width) {
        List<String> all = new ArrayList<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) e.call(command, key, cursor, "COUNT", String.valueOf(PAGE));
            cursor = String.valueOf(reply.get(0));
            ((List<?>) reply.get(1)).forEach(x -> all.add(String.valueOf(x)));
        } while (!cursor.equals("0"));
        return all;
    }

    private static List<String> pairs(List<String> flat) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            pairs.add(flat.get(i) + "\u0000" + flat.get(i + 1));
        }
        return pairs;
    }

    private static List<String> sorted(List<String> items) {
        List<String> copy = new ArrayList<>(items);
        copy.sort(null);
        return copy;
    }

    private static List<String> streamParts(Endpoint e, String key) {
        List<String> parts = new ArrayList<>();
        String start = "-";
        while (true) {
            List<?> page = (List<?>) e.call("XRANGE", key, start, "+", "COUNT", String.valueOf(PAGE));
            for (Object entry : page) {
                parts.add(String.valueOf(entry));
            }
            if (page.size() < PAGE) {
                break;
            }
            String last = String.valueOf(((List<?>) page.getLast()).getFirst());
            start = "(" + last;
        }
        Object groups = e.call("XINFO", "GROUPS", key);
        parts.add("groups:" + groups);
        return parts;
    }

    private static String hash(List<String> parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update(String.valueOf(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
