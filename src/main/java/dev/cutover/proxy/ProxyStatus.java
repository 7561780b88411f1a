package dev.cutover.proxy;

/**
 * The proxy now: where it forwards and whether that works, how many clients, throughput over the
 * last second, requests held, and the latency the proxy itself adds per command over the last ten
 * seconds (from reading a request to writing it upstream, plus from reading the reply to writing
 * it to the client; time spent held is not counted); and how its sockets read and write
 * ("io_uring", or "channel" and why: see {@code LoopIo}).
 */
public record ProxyStatus(String listen, String upstream, UpstreamState upstreamState, int clients,
                          double opsPerSecond, HoldState hold, long heldCommands, long inflightWrites,
                          double addedLatencyP50Micros, double addedLatencyP99Micros, long replayErrors,
                          String io) {
}
