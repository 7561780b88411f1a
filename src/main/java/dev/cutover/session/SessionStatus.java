package dev.cutover.session;

import dev.cutover.endpoint.EndpointSummary;
import java.util.List;

/** A snapshot of the whole session for {@code status} and {@code status()}. */
public record SessionStatus(String state, List<EndpointSummary> endpoints, String journal) {
}
