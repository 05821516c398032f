#!/usr/bin/env python3
"""make bench, scale part: spurd's start-up time on a database.

Execs spurd itself (so the clock starts at the exec, not when a shell got round to
it), then asks GET /healthz every 5 ms on fresh connections until the first 200: that
is the time to ready (spurd loads the whole database before it listens). Reads spurd's
resident memory (VmRSS) right then, stops it with SIGTERM and waits for it to exit.
Best of RUNS; a run slower than --single-above seconds is not repeated (one is
enough to see it is slow, and the rest of the bench waits). Lines spurd logs about
loading (containing "load", "rows" or "replay") are kept.

    python3 tests/bench/startup.py --spurd build/spurd --db DB [--runs 3] [--timeout 300]

Prints one JSON object: {"runs": [s, ...], "best": s, "rss_kib": n, "log": [...]}.
Exit status 1 when spurd did not become ready or exited early.
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POLL = 0.005
LOAD_LINE = re.compile(r"load|rows|replay", re.I)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthz(port):
    """True on a 200; False when nothing listens yet or no complete answer."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one_run(args, log_path):
    port = free_port()
    env = dict(os.environ, SPUR_ADMIN_TOKEN="bench", SPUR_LOG="info")
    with open(log_path, "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([args.spurd, "--db", args.db, "--listen", f"127.0.0.1:{port}",
                                 "--assets", os.path.join(ROOT, "assets")],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            if healthz(port):
                ready = time.perf_counter() - t0
                break
            if proc.poll() is not None:
                raise RuntimeError(f"spurd exited with {proc.returncode} before /healthz answered")
            if time.perf_counter() - t0 > args.timeout:
                raise RuntimeError(f"no /healthz 200 within {args.timeout:.0f} s")
            time.sleep(POLL)
        rss = rss_kib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with open(log_path, errors="replace") as f:
        lines = [l.rstrip("\n") for l in f if LOAD_LINE.search(l)]
    return ready, rss, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spurd", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300.0, help="per run, seconds")
    ap.add_argument("--single-above", type=float, default=30.0)
    args = ap.parse_args()
    times, rss, log = [], 0, []
    with tempfile.TemporaryDirectory(prefix="spur-startup-") as tmp:
        for i in range(args.runs):
            try:
                t, r, lines = one_run(args, os.path.join(tmp, "spurd.log"))
            except RuntimeError as e:
                print(f"startup.py: {args.db}: {e}", file=sys.stderr)
                return 1
            if not times or t < min(times):
                rss, log = r, lines
            times.append(t)
            if t > args.single_above:
                break
    print(json.dumps({"runs": times, "best": min(times), "rss_kib": rss, "log": log}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
