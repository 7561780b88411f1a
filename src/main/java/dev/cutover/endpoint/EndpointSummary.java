package dev.cutover.endpoint;

import java.util.List;

/** What {@code connect} reports about a server. */
public record EndpointSummary(Role role, String uri, ServerInfo info, RdbSupport rdb,
                              List<CapabilityCheck> capabilities) {

    public static EndpointSummary probe(Endpoint endpoint) {
        ServerInfo info = endpoint.serverInfo();
        List<CapabilityCheck> capabilities = new CapabilityProbe(endpoint, info.version()).probeAll();
        return new EndpointSummary(endpoint.role(), endpoint.uri().redacted(), info,
                VersionFacts.rdb(info.version()), capabilities);
    }
}
