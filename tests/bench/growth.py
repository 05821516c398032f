#!/usr/bin/env python3
"""make bench, part "growth": what one script repeating one answer costs spurd.

Starts its own spurd on a fresh database (loopback, a free port), makes one team and
sends, on one keep-alive connection, 20,000 repeats of one wrong answer and then
5,000 repeats of one partial answer, each with a fresh client_id (as a misbehaving
phone or a script would). Prints how much spurd's resident memory (VmRSS) and the
database files (main + WAL) grew in each phase, beside the goals of issue 9.

    python3 tests/bench/growth.py [--build DIR] [--wrong N] [--partial N]
"""
import argparse
import datetime
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOALS = {"wrong": (2 << 20, 256 << 10), "partial": (2 << 20, 256 << 10)}  # memory, disk


def iso(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def rss(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def db_bytes(path):
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("SPUR_BUILD", "build"))
    ap.add_argument("--wrong", type=int, default=20000)
    ap.add_argument("--partial", type=int, default=5000)
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    tmp = tempfile.mkdtemp(prefix="spur-growth-")
    db = os.path.join(tmp, "growth.db")
    hunt = {"id": "growth", "title": "Growth", "starts_at": iso(-60), "ends_at": iso(86400),
            "puzzles": [{"id": "q", "title": "Q", "clue": "?", "points": 5,
                         "answer": {"accept": ["ziel"], "partial": {"weiter": "Weiter so!"}}}]}
    with open(os.path.join(tmp, "hunt.json"), "w") as f:
        json.dump(hunt, f)
    subprocess.run([os.path.join(build, "spur"), "import", os.path.join(tmp, "hunt.json"),
                    "--db", db], check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, SPUR_ADMIN_TOKEN="growth", SPUR_LOG="warn")
    proc = subprocess.Popen([os.path.join(build, "spurd"), "--db", db, "--listen",
                             "127.0.0.1:%d" % port, "--assets", os.path.join(ROOT, "assets")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn = None
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)

        def post(path, body, token=None):
            hdrs = {"Content-Type": "application/json"}
            if token:
                hdrs["Authorization"] = "Bearer " + token
            conn.request("POST", path, json.dumps(body), hdrs)
            r = conn.getresponse()
            return r.status, json.loads(r.read())

        st, team = post("/api/hunts/growth/teams", {"name": "Skript"})
        assert st == 201, team
        tok = team["token"]
        print("spur bench: growth from one team repeating one answer, fresh client_id each")
        print("%-34s %10s %14s %14s %10s" % ("", "requests", "memory (RSS)", "database",
                                            "req/s"))
        for phase, answer, n in (("wrong", "falsch", args.wrong),
                                 ("partial", "weiter", args.partial)):
            st, _ = post("/api/hunts/growth/puzzles/q/answer",
                         {"answer": answer, "client_id": phase + "-first"}, tok)
            assert st == 200
            m0, d0, t0 = rss(proc.pid), db_bytes(db), time.perf_counter()
            for i in range(n):
                st, body = post("/api/hunts/growth/puzzles/q/answer",
                                {"answer": answer, "client_id": "%s-%d" % (phase, i)}, tok)
                assert st == 200, (st, body)
            dt = time.perf_counter() - t0
            dm, dd = rss(proc.pid) - m0, db_bytes(db) - d0
            gm, gd = GOALS[phase]
            print("%-34s %10d %+11.2f MiB %+11.1f KiB %10.0f" %
                  ("repeats of one %s answer" % phase, n, dm / 2**20, dd / 1024, n / dt))
            print("%-34s %10s %11s MiB %11s KiB   %s" %
                  ("  goal (issue 9)", "", "< %d" % (gm >> 20), "< %d" % (gd >> 10),
                   "met" if dm < gm and dd < gd else "NOT MET"))
    finally:
        proc.terminate()
        proc.wait(20)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
