package dev.cutover.resp;

/** An error reply ({@code -ERR ...}), kept as a value so a pipelined reader can carry on. */
public record RespError(String message) {
    public String code() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
