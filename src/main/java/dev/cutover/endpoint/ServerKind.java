package dev.cutover.endpoint;

/** Which server family an endpoint runs. */
public enum ServerKind {
    REDIS("Redis"), VALKEY("Valkey");

    private final String display;

    ServerKind(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }
}
