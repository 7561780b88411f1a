package dev.cutover.resp;

/** The peer sent bytes that are not RESP, or closed the connection in the middle of a frame. */
public final class RespProtocolException extends RuntimeException {
    private final long offset;

    public RespProtocolException(String message, long offset) {
        super(message + " (at byte " + offset + " of the connection)");
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
