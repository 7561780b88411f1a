package dev.cutover.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes commands as RESP multi-bulks into a buffer; {@link #flush} sends them. */
public final class RespOutput {
    private static final byte[] CRLF = {'\r', '\n'};
    private final OutputStream out;
    private final byte[] buffer;
    private int count;

    public RespOutput(OutputStream out, int bufferSize) {
        this.out = out;
        this.buffer = new byte[bufferSize];
    }

    public void write(List<byte[]> args) {
        header('*', args.size());
        for (byte[] arg : args) {
            header('$', arg.length);
            bytes(arg);
            bytes(CRLF);
        }
    }

    public void write(String... args) {
        header('*', args.length);
        for (String arg : args) {
            byte[] b = arg.getBytes(StandardCharsets.UTF_8);
            header('$', b.length);
            bytes(b);
            bytes(CRLF);
        }
    }

    /** Bytes written since creation and not yet flushed. */
    public int pending() {
        return count;
    }

    private void header(char type, long n) {
        if (count + 24 > buffer.length) {
            drain();
        }
        buffer[count++] = (byte) type;
        if (n == 0) {
            buffer[count++] = '0';
        } else {
            int start = count;
            while (n > 0) {
                buffer[count++] = (byte) ('0' + n % 10);
                n /= 10;
            }
            for (int i = start, j = count - 1; i < j; i++, j--) {
                byte t = buffer[i];
                buffer[i] = buffer[j];
                buffer[j] = t;
            }
        }
        buffer[count++] = '\r';
        buffer[count++] = '\n';
    }

    private void bytes(byte[] b) {
        if (b.length > buffer.length - count) {
            drain();
            if (b.length > buffer.length) {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
        }
        System.arraycopy(b, 0, buffer, count, b.length);
        count += b.length;
    }

    private void drain() {
        if (count == 0) {
            return;
        }
        try {
            out.write(buffer, 0, count);
            count = 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
