#!/usr/bin/env python3
"""Writes a mixed dataset as RESP to stdout, for redis-cli --pipe.

70% strings (16 B to 2 KiB), 10% hashes (8 fields), 8% lists (10 items), 6% sets (10 members),
6% sorted sets (10 members); 1 in 20 keys with a TTL of a day. Deterministic for a given count.
Usage: dataset.py KEYS
"""
import random
import sys


def command(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def main():
    keys = int(sys.argv[1])
    rnd = random.Random(7)
    w = sys.stdout.buffer
    chunk = []
    for i in range(keys):
        kind = rnd.random()
        key = "k:%d" % i
        if kind < 0.70:
            size = rnd.choice((16, 64, 100, 300, 2048))
            chunk.append(command("SET", key, ("v%d-" % i).ljust(size, "x")))
        elif kind < 0.80:
            fields = []
            for f in range(8):
                fields += ["f%d" % f, "value-%d-%d" % (i, f)]
            chunk.append(command("HSET", key, *fields))
        elif kind < 0.88:
            chunk.append(command("RPUSH", key, *["item-%d" % n for n in range(10)]))
        elif kind < 0.94:
            chunk.append(command("SADD", key, *["m%d" % n for n in range(10)]))
        else:
            args = []
            for n in range(10):
                args += [n * 1.5, "z%d" % n]
            chunk.append(command("ZADD", key, *args))
        if i % 20 == 0:
            chunk.append(command("EXPIRE", key, 86400))
        if len(chunk) >= 5000:
            w.write(b"".join(chunk))
            chunk = []
    w.write(b"".join(chunk))


if __name__ == "__main__":
    main()
