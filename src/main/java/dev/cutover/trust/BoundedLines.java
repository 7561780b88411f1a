package dev.cutover.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads '\n'-ended UTF-8 lines from a peer, never more than a limit: a peer that sends a longer
 * line gets an {@link IOException}, not a buffer of its choosing.
 */
public final class BoundedLines {
    private final InputStream in;

    public BoundedLines(InputStream in) {
        this.in = new java.io.BufferedInputStream(in);
    }

    /** The next line without its '\n' (and a '\r' before it), or null at the end of the stream. */
    public String read(int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(Math.min(maxBytes, 256));
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (line.size() >= maxBytes) {
                throw new IOException("a line longer than " + maxBytes + " bytes");
            }
            line.write(b);
        }
    }
}
