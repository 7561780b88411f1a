package dev.cutover.rdb;

import static dev.cutover.rdb.EntryCommands.ascii;
import static dev.cutover.rdb.EntryCommands.cmd;

import java.util.List;

/** The commands that rebuild a stream part: XADD with explicit ids, then ids, groups, consumers and PEL. */
final class Streams {
    /** A group that only exists for an instant, to create an empty stream; no real group is created before it goes. */
    private static final byte[] SCAFFOLD_GROUP = ascii("cutover:scaffold");

    private Streams() {
    }

    static void commands(List<List<byte[]>> out, RdbEntry e, RdbValue.StreamValue v) {
        byte[] key = e.key();
        for (StreamEntry se : v.entries()) {
            List<byte[]> c = cmd("XADD", key, ascii(se.id().toString()));
            c.addAll(se.fieldsAndValues());
            out.add(c);
        }
        if (!e.last()) {
            return;
        }
        StreamMeta meta = v.meta();
        if (e.first() && v.entries().isEmpty()) {
            // An empty stream still exists. XADD + XDEL would leave a deleted id behind that XSETID
            // cannot reset to 0-0, so create it through a group that is dropped at once.
            out.add(cmd("XGROUP", ascii("CREATE"), key, SCAFFOLD_GROUP, ascii("0"), ascii("MKSTREAM")));
            out.add(cmd("XGROUP", ascii("DESTROY"), key, SCAFFOLD_GROUP));
        }
        if (meta != null) {
            List<byte[]> c = cmd("XSETID", key, ascii(meta.lastId().toString()));
            if (meta.entriesAdded() >= 0) {
                c.add(ascii("ENTRIESADDED"));
                c.add(ascii(Long.toString(meta.entriesAdded())));
            }
            if (meta.maxDeletedId() != null) {
                c.add(ascii("MAXDELETEDID"));
                c.add(ascii(meta.maxDeletedId().toString()));
            }
            out.add(c);
        }
        for (StreamGroup g : v.groups()) {
            List<byte[]> create = cmd("XGROUP", ascii("CREATE"), key, g.name(), ascii(g.lastId().toString()));
            if (g.entriesRead() >= 0) {
                create.add(ascii("ENTRIESREAD"));
                create.add(ascii(Long.toString(g.entriesRead())));
            }
            out.add(create);
            for (StreamConsumer c : g.consumers()) {
                out.add(cmd("XGROUP", ascii("CREATECONSUMER"), key, g.name(), c.name()));
            }
            for (PendingEntry p : g.pending()) {
                if (p.consumer() == null) {
                    continue;
                }
                out.add(cmd("XCLAIM", key, g.name(), p.consumer(), ascii("0"), ascii(p.id().toString()),
                        ascii("TIME"), ascii(Long.toString(p.deliveryTimeMs())),
                        ascii("RETRYCOUNT"), ascii(Long.toString(p.deliveryCount())), ascii("FORCE"), ascii("JUSTID")));
            }
        }
    }
}
