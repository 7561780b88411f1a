#!/usr/bin/env python3
"""Times an interactive program on a pseudo-terminal, as an operator meets it.

Usage: ptytime.py RUNS -- COMMAND [ARG ...]
Per run: seconds from start to the first prompt (a line ending in '> ' after 'idle'), then
from typing "1+2" to its result "3". Prints the median of each over RUNS, after one warm-up.
"""
import fcntl
import os
import pty
import struct
import termios
import select
import statistics
import sys
import time


def wait_for(fd, needle, deadline):
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return None
            if not chunk:
                return None
            seen += chunk
            if needle in seen:
                return seen
    return None


def one(cmd):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    t0 = time.monotonic()
    if wait_for(fd, b"idle", t0 + 60) is None:
        raise SystemExit("no prompt within 60 s from: " + " ".join(cmd))
    prompt = time.monotonic() - t0
    t1 = time.monotonic()
    os.write(fd, b"1+2\r")
    if wait_for(fd, b"3\r\n", t1 + 60) is None:
        raise SystemExit("no JavaScript result within 60 s")
    first_js = time.monotonic() - t1
    os.write(fd, b"exit\r")
    wait_for(fd, b"\x00never", time.monotonic() + 3)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return prompt, first_js


def main():
    runs = int(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    one(cmd)  # warm-up
    prompts, results = [], []
    for _ in range(runs):
        p, r = one(cmd)
        prompts.append(p)
        results.append(r)
    print(f"{statistics.median(prompts):.3f} {statistics.median(results):.3f}")


if __name__ == "__main__":
    main()
