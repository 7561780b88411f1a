package dev.cutover.rdb;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A visitor that keeps everything it is given, for tests. */
final class Collector implements RdbVisitor {
    int version = -1;
    String magic;
    final Map<String, byte[]> aux = new LinkedHashMap<>();
    final List<byte[]> functions = new ArrayList<>();
    final List<RdbEntry> entries = new ArrayList<>();
    long endBytes = -1;
    boolean checksumChecked;

    static Collector read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, RdbReader.Options.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Collector read(byte[] data, RdbReader.Options options) {
        return read(new ByteArrayInputStream(data), options);
    }

    static Collector read(InputStream in, RdbReader.Options options) {
        Collector c = new Collector();
        new RdbReader(in, options).read(c);
        return c;
    }

    @Override
    public void header(int version, String magic) {
        this.version = version;
        this.magic = magic;
    }

    @Override
    public void aux(String name, byte[] value) {
        aux.put(name, value);
    }

    @Override
    public void function(byte[] code) {
        functions.add(code);
    }

    @Override
    public void entry(RdbEntry entry) {
        entries.add(entry);
    }

    @Override
    public void end(long bytesRead, boolean checksumChecked) {
        this.endBytes = bytesRead;
        this.checksumChecked = checksumChecked;
    }

    /** Whole keys: parts joined, keyed by "db:key". */
    Map<String, Keys.Whole> whole() {
        return Keys.join(entries);
    }
}
