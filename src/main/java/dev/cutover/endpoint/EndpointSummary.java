package dev.cutover.endpoint;

import java.util.List;

/** What {@code connect} reports about a server. */
public record EndpointSummary(Role role, String uri, ServerInfo info, RdbSupport rdb,
                              List<CapabilityCheck> capabilities) {

    /** What the probe found for {@code capability} (UNKNOWN when it was not probed). */
    public CapabilityCheck capability(Capability capability) {
        return capabilities.stream().filter(c -> c.capability() == capability).findFirst()
                .orElse(new CapabilityCheck(capability, CapabilityCheck.Status.UNKNOWN, "not probed"));
    }

    public static EndpointSummary probe(Endpoint endpoint) {
        ServerInfo info = endpoint.serverInfo();
        List<CapabilityCheck> capabilities = new CapabilityProbe(endpoint, info.version()).probeAll();
        return new EndpointSummary(endpoint.role(), endpoint.uri().redacted(), info,
                VersionFacts.rdb(info.version()), capabilities);
    }
}
