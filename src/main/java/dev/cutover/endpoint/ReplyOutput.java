package dev.cutover.endpoint;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Collects any reply as plain Java values: String for bulk and status replies, Long, Double,
 * Boolean, null, and nested Lists for arrays (maps arrive flattened, as in RESP2).
 */
final class ReplyOutput extends CommandOutput<String, String, Object> {
    private record Frame(List<Object> items, int expected) {
    }

    private final Deque<Frame> stack = new ArrayDeque<>();

    ReplyOutput() {
        super(StringCodec.UTF8, null);
    }

    @Override
    public void set(ByteBuffer bytes) {
        add(bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString());
    }

    @Override
    public void setSingle(ByteBuffer bytes) {
        set(bytes);
    }

    @Override
    public void set(long integer) {
        add(integer);
    }

    @Override
    public void set(double number) {
        add(number);
    }

    @Override
    public void set(boolean value) {
        add(value);
    }

    @Override
    public void multi(int count) {
        if (count < 0) {
            add(null);
            return;
        }
        stack.push(new Frame(new ArrayList<>(count), count));
        collapse();
    }

    private void add(Object value) {
        if (stack.isEmpty()) {
            output = value;
            return;
        }
        stack.peek().items().add(value);
        collapse();
    }

    private void collapse() {
        while (!stack.isEmpty() && stack.peek().items().size() >= stack.peek().expected()) {
            Frame done = stack.pop();
            if (stack.isEmpty()) {
                output = done.items();
            } else {
                stack.peek().items().add(done.items());
            }
        }
    }
}
