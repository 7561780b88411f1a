package dev.cutover.replication;

import dev.cutover.endpoint.DbStats;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import java.util.List;
import java.util.function.Consumer;

/**
 * A read-only, bounded look for the keys of one type on a source ({@code SCAN … TYPE}), database by
 * database, at most {@code budget} SCAN calls in each; the connection goes back to its own
 * database afterwards, whatever happened.
 */
final class KeysOfType {
    private KeysOfType() {
    }

    /** Calls {@code each} with every key of {@code type} found; returns whether every key was looked at. */
    static boolean scan(Endpoint source, ServerInfo info, String type, int budget, Consumer<Object> each) {
        boolean complete = true;
        try {
            for (DbStats db : info.keyspace().values()) {
                if (db.keys() == 0) {
                    continue;
                }
                source.call("SELECT", String.valueOf(db.db()));
                String cursor = "0";
                int calls = 0;
                do {
                    List<?> reply = (List<?>) source.call("SCAN", cursor, "COUNT", "1000", "TYPE", type);
                    cursor = String.valueOf(reply.get(0));
                    ((List<?>) reply.get(1)).forEach(each);
                } while (!cursor.equals("0") && ++calls < budget);
                complete &= cursor.equals("0");
            }
        } finally {
            source.call("SELECT", String.valueOf(source.uri().db()));
        }
        return complete;
    }
}
