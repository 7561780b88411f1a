package dev.cutover.rdb;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Collects a key's elements and hands them on in parts of about {@code partBytes}. */
final class Chunker<T> {
    /** What an element costs beyond its bytes, so a million tiny elements still make several parts. */
    private static final int OVERHEAD = 16;
    private final KeyOut out;
    private final Function<List<T>, RdbValue> make;
    private List<T> buf = new ArrayList<>();
    private long bytes;

    Chunker(KeyOut out, Function<List<T>, RdbValue> make) {
        this.out = out;
        this.make = make;
    }

    void add(T element, long size) {
        if (!buf.isEmpty() && bytes >= out.partBytes) {
            out.emit(make.apply(buf), false);
            buf = new ArrayList<>();
            bytes = 0;
        }
        buf.add(element);
        bytes += size + OVERHEAD;
    }

    /** Ends the key; an empty collection is dropped as the server drops it. */
    void finish() {
        if (!out.emitted && buf.isEmpty()) {
            out.dropEmpty();
            return;
        }
        out.emit(make.apply(buf), true);
    }

    /** Ends the key with a last part built by {@code lastMaker} from what is left (possibly nothing). */
    void finish(Function<List<T>, RdbValue> lastMaker) {
        out.emit(lastMaker.apply(buf), true);
    }
}
