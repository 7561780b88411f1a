#!/usr/bin/env python3
"""Paced write load on a source and end-to-end replication lag measured on a target.

Writes SETs at RATE per second (pipelined batches every 10 ms) to the source for SECONDS, and
meanwhile, every 50 ms, writes a probe key with a fresh token and times how long until the
target returns that token. Prints: achieved write rate, probe count, lag p50/p99/max in ms.
Usage: lagprobe.py SOURCE_PORT TARGET_PORT RATE SECONDS
"""
import socket
import sys
import threading
import time


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.s.makefile("rb")

    def send(self, *commands):
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                b = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.s.sendall(b"".join(out))

    def reply(self):
        line = self.f.readline()
        t = line[:1]
        if t == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if t == b"-":
            raise RuntimeError(line.decode().strip())
        return line[1:].strip()


def load(port, rate, seconds, done, counter):
    c = Conn(port)
    batch = max(1, rate // 100)
    start = time.monotonic()
    n = 0
    tick = 0
    while time.monotonic() - start < seconds:
        c.send(*[("SET", "load:%d" % ((n + j) % 100000), "x" * 32) for j in range(batch)])
        for _ in range(batch):
            c.reply()
        n += batch
        tick += 1
        sleep = start + tick * 0.01 - time.monotonic()
        if sleep > 0:
            time.sleep(sleep)
    counter.append(n / (time.monotonic() - start))
    done.set()


def main():
    sp, tp, rate, seconds = (int(x) for x in sys.argv[1:5])
    done = threading.Event()
    achieved = []
    threading.Thread(target=load, args=(sp, rate, seconds, done, achieved), daemon=True).start()
    src, tgt = Conn(sp), Conn(tp)
    lags = []
    i = 0
    time.sleep(0.5)
    while not done.is_set():
        token = str(i).encode()
        t0 = time.monotonic()
        src.send(("SET", "probe", token))
        src.reply()
        while True:
            tgt.send(("GET", "probe"))
            if tgt.reply() == token:
                break
            if time.monotonic() - t0 > 10:
                break
            time.sleep(0.0002)
        lags.append((time.monotonic() - t0) * 1000)
        i += 1
        time.sleep(0.05)
    done.wait()
    lags.sort()
    pct = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))]
    print("rate %.0f writes/s, %d probes, lag p50 %.2f ms, p99 %.2f ms, max %.2f ms"
          % (achieved[0], len(lags), pct(0.50), pct(0.99), lags[-1]))


if __name__ == "__main__":
    main()
