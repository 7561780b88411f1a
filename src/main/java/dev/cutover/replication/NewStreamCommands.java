package dev.cutover.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stream commands Redis 8.2-8.6 added, for a target that lacks them (every Valkey, Redis
 * before 8.2, and before 8.6 for idempotency), as they arrive in the source's command stream:
 *
 * <ul>
 *   <li>XDELEX and XACKDEL with the default KEEPREF become XDEL, and XACK + XDEL; KEEPREF on XADD
 *       and XTRIM is the old behaviour and goes; DELREF and ACKED change other groups' pending
 *       lists in ways only the source knows, so they stop the link, naming the command and key.</li>
 *   <li>XADD with IDMP / IDMPAUTO: the source rewrites the id of every entry it adds, so an XADD
 *       that still says {@code *} was a duplicate it refused and is dropped; the others go without
 *       IDMP. XCFGSET and XIDMPRECORD only touch idempotency state and are dropped. All of this
 *       only with --drop-stream-idempotency, and counted; without it the link stops.</li>
 * </ul>
 */
final class NewStreamCommands {
    private static final Set<String> POLICIES = Set.of("KEEPREF", "DELREF", "ACKED");

    private NewStreamCommands() {
    }

    /** Null when {@code name} is not one of these commands or the target has what it needs. */
    static StreamTranslator.Outcome translate(String name, List<byte[]> c, StreamFeatures target) {
        return switch (name) {
            case "XADD" -> xadd(c, target);
            case "XTRIM" -> target.targetHasDeletePolicies() ? null : xtrim(c);
            case "XDELEX" -> target.targetHasDeletePolicies() ? null : xdelex(c);
            case "XACKDEL" -> target.targetHasDeletePolicies() ? null : xackdel(c);
            case "XCFGSET", "XIDMPRECORD" -> target.targetHasIdempotency() ? null : idempotencyOnly(name, c, target);
            default -> null;
        };
    }

    private static StreamTranslator.Outcome idempotencyOnly(String name, List<byte[]> c, StreamFeatures target) {
        return target.dropIdempotency()
                ? new StreamTranslator.Drop(name, StreamTranslator.Feature.STREAM_IDEMPOTENCY)
                : refuseIdempotency(name, c);
    }

    /** XADD key [NOMKSTREAM] [KEEPREF|DELREF|ACKED] [IDMPAUTO pid | IDMP pid iid] [trim] id field value ... */
    private static StreamTranslator.Outcome xadd(List<byte[]> c, StreamFeatures target) {
        List<byte[]> out = new ArrayList<>(c.subList(0, 2));
        String policy = null;
        boolean idmp = false;
        boolean trims = false;
        int i = 2;
        while (i < c.size()) {
            String word = upper(c.get(i));
            if (word.equals("NOMKSTREAM")) {
                out.add(c.get(i++));
            } else if (POLICIES.contains(word)) {
                policy = word;
                i++;
                if (target.targetHasDeletePolicies()) {
                    out.add(c.get(i - 1));
                }
            } else if (word.equals("IDMPAUTO") || word.equals("IDMP")) {
                int n = word.equals("IDMP") ? 3 : 2;
                if (i + n > c.size()) {
                    return unreadable(c);
                }
                idmp = true;
                if (target.targetHasIdempotency()) {
                    out.addAll(c.subList(i, i + n));
                }
                i += n;
            } else if (word.equals("MAXLEN") || word.equals("MINID")) {
                trims = true;
                int end = i + 2;
                if (end < c.size() && (text(c.get(i + 1)).equals("=") || text(c.get(i + 1)).equals("~"))) {
                    end++;
                }
                if (end + 1 < c.size() && upper(c.get(end)).equals("LIMIT")) {
                    end += 2;
                }
                if (end > c.size()) {
                    return unreadable(c);
                }
                out.addAll(c.subList(i, end));
                i = end;
            } else {
                break; // the id: fields follow, whatever their names
            }
        }
        if (i >= c.size()) {
            return unreadable(c);
        }
        String id = text(c.get(i));
        out.addAll(c.subList(i, c.size()));
        if (policy != null && !target.targetHasDeletePolicies() && trims && !policy.equals("KEEPREF")) {
            return refusePolicy("XADD", policy, c);
        }
        if (idmp && !target.targetHasIdempotency()) {
            if (!target.dropIdempotency()) {
                return refuseIdempotency("XADD", c);
            }
            if (id.equals("*") || id.endsWith("-*")) {
                return new StreamTranslator.Drop("XADD IDMP (a duplicate the source refused)",
                        StreamTranslator.Feature.STREAM_IDEMPOTENCY);
            }
            return new StreamTranslator.Replace(List.of(out), StreamTranslator.Feature.STREAM_IDEMPOTENCY);
        }
        return out.size() == c.size() ? null : new StreamTranslator.Replace(List.of(out));
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] [KEEPREF|DELREF|ACKED]. */
    private static StreamTranslator.Outcome xtrim(List<byte[]> c) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            String word = i >= 3 ? upper(c.get(i)) : "";
            if (POLICIES.contains(word)) {
                if (!word.equals("KEEPREF")) {
                    return refusePolicy("XTRIM", word, c);
                }
                continue;
            }
            out.add(c.get(i));
        }
        return out.size() == c.size() ? null : new StreamTranslator.Replace(List.of(out));
    }

    /** XDELEX key [KEEPREF|DELREF|ACKED] IDS n id... → XDEL key id... */
    private static StreamTranslator.Outcome xdelex(List<byte[]> c) {
        int ids = idsAt(c, 2);
        if (ids < 0) {
            return unreadable(c);
        }
        String policy = ids > 2 ? upper(c.get(2)) : "KEEPREF";
        if (!policy.equals("KEEPREF")) {
            return refusePolicy("XDELEX", policy, c);
        }
        List<byte[]> xdel = new ArrayList<>(List.of(bytes("XDEL"), c.get(1)));
        xdel.addAll(c.subList(ids + 2, c.size()));
        return new StreamTranslator.Replace(List.of(xdel));
    }

    /** XACKDEL key group [KEEPREF|DELREF|ACKED] IDS n id... → XACK key group id..., XDEL key id... */
    private static StreamTranslator.Outcome xackdel(List<byte[]> c) {
        int ids = idsAt(c, 3);
        if (ids < 0) {
            return unreadable(c);
        }
        String policy = ids > 3 ? upper(c.get(3)) : "KEEPREF";
        if (!policy.equals("KEEPREF")) {
            return refusePolicy("XACKDEL", policy, c);
        }
        List<byte[]> xack = new ArrayList<>(List.of(bytes("XACK"), c.get(1), c.get(2)));
        xack.addAll(c.subList(ids + 2, c.size()));
        List<byte[]> xdel = new ArrayList<>(List.of(bytes("XDEL"), c.get(1)));
        xdel.addAll(c.subList(ids + 2, c.size()));
        return new StreamTranslator.Replace(List.of(xack, xdel));
    }

    /** Where "IDS" is (at {@code from} or one later, after a policy), with a count matching the ids after it; -1 if not. */
    private static int idsAt(List<byte[]> c, int from) {
        for (int i = from; i <= from + 1 && i + 1 < c.size(); i++) {
            if (upper(c.get(i)).equals("IDS")) {
                try {
                    int n = Integer.parseInt(text(c.get(i + 1)));
                    return n > 0 && i + 2 + n == c.size() ? i : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static StreamTranslator.Outcome refusePolicy(String name, String policy, List<byte[]> c) {
        return new StreamTranslator.Refuse(name + " " + key(c) + " with " + policy + " changes other consumer groups'"
                + " pending lists in a way the target (which lacks " + policy + ") cannot repeat; migrate before"
                + " clients use " + policy + ", or into Redis 8.2 or later");
    }

    private static StreamTranslator.Outcome refuseIdempotency(String name, List<byte[]> c) {
        return new StreamTranslator.Refuse(name + " " + key(c) + " uses stream idempotency, which the target cannot"
                + " hold: stop, then replicate again with --drop-stream-idempotency to move the streams without it");
    }

    private static StreamTranslator.Outcome unreadable(List<byte[]> c) {
        return new StreamTranslator.Refuse("cannot read " + upper(c.get(0)) + " " + key(c) + " from the source's stream");
    }

    private static String key(List<byte[]> c) {
        if (c.size() < 2) {
            return "";
        }
        String key = text(c.get(1));
        return "'" + (key.length() > 60 ? key.substring(0, 60) + "…" : key) + "'";
    }

    private static String upper(byte[] b) {
        return text(b).toUpperCase(Locale.ROOT);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
