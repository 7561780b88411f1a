package dev.cutover.session;

import dev.cutover.endpoint.EndpointSummary;
import java.util.List;

/**
 * A snapshot of the whole session for {@code status} and {@code status()}.
 *
 * @param links one line each for what runs on behalf of the session: the replication link, the
 *              way back a demotion left (psync in reverse), the cutover proxy
 */
public record SessionStatus(String state, List<EndpointSummary> endpoints, String journal, List<String> links) {
}
