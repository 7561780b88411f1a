package dev.cutover.share;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * One line of the share protocol, JSON: {"t": type, "s": text, …}. Client to owner: hello (name,
 * observe), line. Owner to client: welcome, out, err, line (who typed what), prompt, event,
 * refused, bye.
 */
public record Message(String t, String s, String who, boolean observe) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Message of(String type, String text) {
        return new Message(type, text, null, false);
    }

    public String encode() {
        try {
            return JSON.writeValueAsString(Map.of("t", t, "s", s == null ? "" : s, "who", who == null ? "" : who,
                    "observe", observe));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Message decode(String line) {
        try {
            return JSON.readValue(line, Message.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a share protocol message: " + line, e);
        }
    }
}
