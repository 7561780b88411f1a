package dev.cutover.proxy;

import java.time.Duration;
import java.time.Instant;

/**
 * Writes are held. {@code waited}: how long it took until every write sent before the hold had its
 * reply ({@code inflightWrites} of them; {@code unblocked} blocking writes were ended with CLIENT
 * UNBLOCK … TIMEOUT), so the upstream's replication offset no longer moves. The hold lifts by
 * itself at {@code until}.
 */
public record HoldResult(Instant since, Instant until, Duration waited, long inflightWrites, int unblocked) {
}
