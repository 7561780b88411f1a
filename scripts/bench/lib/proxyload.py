#!/usr/bin/env python3
"""Paced application writes through the cutover proxy during a cutover.

Writes SETs at RATE per second through PROXY_PORT for SECONDS (pipelined batches every 10 ms, one
connection per writer, never reconnecting), timing each batch from send to last reply. After
GO_AFTER seconds it sets the key bench:go (the cutover starts), at the end bench:done. Writes every
acknowledged key to ACKED_FILE and prints: writes/s, errors, acknowledged count, and the write
latency p50/p99/max in ms as the clients saw it.
Usage: proxyload.py PROXY_PORT RATE SECONDS GO_AFTER ACKED_FILE
"""
import socket
import sys
import threading
import time

WRITERS = 4


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.s.makefile("rb")

    def send(self, commands):
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                b = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.s.sendall(b"".join(out))

    def reply(self):
        line = self.f.readline()
        if not line:
            raise RuntimeError("connection closed")
        if line[:1] == b"-":
            raise RuntimeError(line.decode().strip())
        if line[:1] == b"$":
            n = int(line[1:])
            return None if n < 0 else self.f.read(n + 2)[:-2]
        return line[1:].strip()


def writer(wid, port, rate, seconds, acked, lat, errors, stop_at):
    c = Conn(port)
    batch = max(1, rate // WRITERS // 100)
    start = time.monotonic()
    n = tick = 0
    while time.monotonic() < stop_at:
        keys = ["bench:%d:%d" % (wid, n + j) for j in range(batch)]
        t0 = time.monotonic()
        try:
            c.send([("SET", k, "v") for k in keys])
            for k in keys:
                c.reply()
                acked.append(k)
        except Exception as e:  # an error or a dropped connection: counted, never retried
            errors.append(str(e))
            return
        lat.append((time.monotonic() - t0) * 1000)
        n += batch
        tick += 1
        pause = start + tick * 0.01 - time.monotonic()
        if pause > 0:
            time.sleep(pause)


def main():
    port, rate, seconds, go_after = (int(x) for x in sys.argv[1:5])
    out = sys.argv[5]
    acked, lat, errors = [], [], []
    t0 = time.monotonic()
    stop_at = t0 + seconds
    threads = [threading.Thread(target=writer, args=(w, port, rate, seconds, acked, lat, errors, stop_at))
               for w in range(WRITERS)]
    for t in threads:
        t.start()
    time.sleep(go_after)
    ctl = Conn(port)
    ctl.send([("SET", "bench:go", "1")])
    ctl.reply()
    for t in threads:
        t.join()
    ctl.send([("SET", "bench:done", "1")])
    ctl.reply()
    with open(out, "w") as f:
        f.write("\n".join(acked))
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0
    print("%.0f writes/s through the proxy, %d acknowledged, %d client error(s), client-seen write latency"
          " p50 %.2f ms, p99 %.2f ms, max %.1f ms"
          % (len(acked) / seconds, len(acked), len(errors), pct(0.5), pct(0.99), lat[-1] if lat else 0))
    if errors:
        print("first error: " + errors[0])


if __name__ == "__main__":
    main()
