package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.resp.RespError;
import dev.cutover.resp.RespSocket;
import java.util.Optional;

/**
 * The replica's side of the handshake: announce ourselves, then PSYNC. The answer says whether
 * the source continues from our offset or starts a full sync (and from which offset).
 */
final class PsyncHandshake {
    sealed interface Answer permits FullResync, Continue {
    }

    /** A full sync follows: the RDB, then the stream from {@code offset}. */
    record FullResync(String replid, long offset) implements Answer {
    }

    /** The source continues right after the offset we asked for; it may have a new id. */
    record Continue(Optional<String> newReplid) implements Answer {
    }

    private PsyncHandshake() {
    }

    /** {@code from} empty asks for a full sync; otherwise {@code PSYNC replid offset+1}. */
    static Answer run(RespSocket source, Optional<PsyncCheckpoint> from, Optional<String> announceVersion) {
        expectOk(source, source.call("PING"), "PING");
        expectOk(source, source.call("REPLCONF", "listening-port", Integer.toString(source.localPort())),
                "REPLCONF listening-port");
        expectOk(source, source.call("REPLCONF", "capa", "eof", "capa", "psync2"), "REPLCONF capa");
        if (announceVersion.isPresent()) {
            // Valkey 9 sends its own RDB (with hash-field TTLs) only to replicas that say they read it;
            // to others it sends RDB 11, and fails the sync outright when a hash has field TTLs.
            expectOk(source, source.call("REPLCONF", "version", announceVersion.get()), "REPLCONF version");
        }
        String replid = from.map(PsyncCheckpoint::replid).orElse("?");
        String offset = from.map(c -> Long.toString(c.offset() + 1)).orElse("-1");
        source.output().write("PSYNC", replid, offset);
        source.output().flush();
        source.input().skipNewlines(); // with repl-diskless-sync-delay the answer waits behind keep-alives
        Object reply = source.input().readReply();
        if (reply instanceof RespError e) {
            throw refused(source, "PSYNC", e);
        }
        String line = String.valueOf(reply);
        String[] words = line.split(" ");
        if (words[0].equals("FULLRESYNC") && words.length == 3) {
            return new FullResync(words[1], Long.parseLong(words[2]));
        }
        if (words[0].equals("CONTINUE")) {
            return new Continue(words.length > 1 ? Optional.of(words[1]) : Optional.empty());
        }
        throw CutoverException.failed("the source answered PSYNC with '" + line + "', which cutover does not know");
    }

    private static void expectOk(RespSocket source, Object reply, String step) {
        if (reply instanceof RespError e) {
            throw refused(source, step, e);
        }
    }

    private static CutoverException refused(RespSocket source, String step, RespError e) {
        String hint = switch (e.code()) {
            case "NOPERM" -> ": the source's ACL user may not run " + step
                    + " (it needs +psync +replconf); grant them or use scan mode";
            case "NOAUTH", "WRONGPASS" -> ": check the source's credentials";
            case "LOADING" -> throw new PsyncReplica.LinkLost("the source is loading its data");
            case "ERR" -> e.message().contains("unknown command")
                    ? ": the source does not offer " + step + " (managed services often rename or disable it); use scan mode"
                    : "";
            default -> "";
        };
        return CutoverException.precondition("the source at " + source.address() + " refused " + step + " ("
                + e.message() + ")" + hint);
    }
}
