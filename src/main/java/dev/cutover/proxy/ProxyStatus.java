package dev.cutover.proxy;

/**
 * The proxy now: where it forwards and whether that works, how many clients, throughput over the
 * last second, requests held, and the latency the proxy itself adds per command over the last ten
 * seconds (from reading a request to writing it upstream, plus from reading the reply to writing
 * it to the client; time spent held is not counted); and how its sockets read and write
 * ("io_uring", or "channel" and why: see {@code LoopIo}); and what it buffers against its memory
 * budget, with the clients closed to keep within it and the event loops that failed (and were
 * restarted) since it started.
 */
public record ProxyStatus(String listen, String upstream, UpstreamState upstreamState, int clients,
                          double opsPerSecond, HoldState hold, long heldCommands, long inflightWrites,
                          double addedLatencyP50Micros, double addedLatencyP99Micros, long replayErrors,
                          String io, long bufferedBytes, long budgetBytes, long evictedClients, long loopFailures) {
}
