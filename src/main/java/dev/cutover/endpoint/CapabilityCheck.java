package dev.cutover.endpoint;

/** The probed answer for one capability, with the evidence in one phrase. */
public record CapabilityCheck(Capability capability, Status status, String detail) {
    public enum Status { YES, NO, UNKNOWN }

    public String mark() {
        return switch (status) {
            case YES -> "yes";
            case NO -> "no";
            case UNKNOWN -> "unknown";
        };
    }
}
