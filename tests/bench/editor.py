#!/usr/bin/env python3
"""make bench, part "editor": the web editor's save and check against their references.

Starts its own spurd on a fresh database (loopback, a free port) with the demo hunt,
lets TEAMS teams answer every text puzzle through the API (so a save has progress to
keep and replay), then measures in the same run:

- save: PUT /api/admin/hunts/demo/source with If-Match, a new title each time, until
  the answer (the file is stored, every hunt read anew and swapped in);
- its reference: what an organizer does by hand for the same change, `spur import`
  then SIGHUP, until GET /api/hunts/demo shows the new title;
- check: POST /api/admin/check of the demo file; its reference `spur check` on it.

Prints the medians of ROUNDS and the ratios (below 1: the editor is faster).

    python3 tests/bench/editor.py [--build DIR] [--teams N] [--rounds N]
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "bench-editor-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("SPUR_BUILD", "build"))
    ap.add_argument("--teams", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    tmp = tempfile.mkdtemp(prefix="spur-bench-editor-")
    proc = None
    try:
        with open(os.path.join(ROOT, "puzzles", "demo.json"), encoding="utf-8") as f:
            hunt = json.load(f)
        hunt["starts_at"] = "2020-01-01T00:00:00Z"
        hunt["ends_at"] = "2099-01-01T00:00:00Z"
        hunt.pop("freeze_at", None)
        for key in ("draw_from",):
            hunt.pop(key, None)
        path = os.path.join(tmp, "demo.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(hunt, f, ensure_ascii=False, indent=2)
        db = os.path.join(tmp, "spur.db")
        subprocess.run([os.path.join(build, "spur"), "import", path, "--db", db], check=True,
                       capture_output=True)
        port = free_port()
        env = dict(os.environ, SPUR_ADMIN_TOKEN=TOKEN, SPUR_TEAMS_PER_MINUTE="100000")
        proc = subprocess.Popen([os.path.join(build, "spurd"), "--db", db, "--listen",
                                 f"127.0.0.1:{port}", "--assets", os.path.join(ROOT, "assets")],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(400):
            try:
                if call(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        hid = hunt["id"]
        def right(p):
            a = p.get("answer", {})
            return (a["accept"][0] if "accept" in a else str(a["number"]) if "number" in a
                    else a["choices"][a["correct"]])
        texts = [p for p in hunt["puzzles"] if p.get("answer") and not p.get("requires")]
        events = 0
        for i in range(args.teams):
            st, _, body = call(port, "POST", f"/api/hunts/{hid}/teams",
                               json.dumps({"name": f"Team {i}"}),
                               {"Content-Type": "application/json"})
            tok = json.loads(body)["token"]
            for p in texts:
                st, _, _ = call(port, "POST", f"/api/hunts/{hid}/puzzles/{p['id']}/answer",
                                json.dumps({"answer": right(p)}),
                                {"Content-Type": "application/json",
                                 "Authorization": "Bearer " + tok})
                events += st == 200
        auth = {"Authorization": "Bearer " + TOKEN}
        saves = []
        for r in range(args.rounds):
            st, hdrs, text = call(port, "GET", f"/api/admin/hunts/{hid}/source", headers=auth)
            h = json.loads(text)
            h["title"] = f"Editor {r}"
            body = json.dumps(h, ensure_ascii=False, indent=2).encode()
            t0 = time.perf_counter()
            st, _, out = call(port, "PUT", f"/api/admin/hunts/{hid}/source", body,
                              dict(auth, **{"If-Match": hdrs["etag"],
                                            "Content-Type": "application/json"}))
            saves.append(time.perf_counter() - t0)
            if st != 200:
                sys.exit(f"editor bench: save answered {st}: {out[:200]!r}")
        imports = []
        for r in range(args.rounds):
            hunt["title"] = f"Import {r}"
            with open(path, "w", encoding="utf-8") as f:
                json.dump(hunt, f, ensure_ascii=False, indent=2)
            t0 = time.perf_counter()
            subprocess.run([os.path.join(build, "spur"), "import", path, "--db", db],
                           check=True, capture_output=True)
            proc.send_signal(signal.SIGHUP)
            while json.loads(call(port, "GET", f"/api/hunts/{hid}")[2])["title"] != hunt["title"]:
                time.sleep(0.002)
            imports.append(time.perf_counter() - t0)
        with open(path, "rb") as f:
            demo = f.read()
        checks, tools = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            st, _, _ = call(port, "POST", "/api/admin/check", demo,
                            dict(auth, **{"Content-Type": "application/json"}))
            checks.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([os.path.join(build, "spur"), "check", path], capture_output=True)
            tools.append(time.perf_counter() - t0)
        s, i = statistics.median(saves), statistics.median(imports)
        c, t = statistics.median(checks), statistics.median(tools)
        print(f"editor save, {args.teams} teams, {events} answers (median ms)  "
              f"{s * 1000:12.1f}")
        print(f"{'spur import + SIGHUP, same change (median ms)':44s} {i * 1000:12.1f}")
        print(f"{'ratio editor save/import+SIGHUP':44s} {s / i:11.2f}x")
        print(f"{'editor check of demo.json (median ms)':44s} {c * 1000:12.1f}")
        print(f"{'spur check demo.json (median ms)':44s} {t * 1000:12.1f}")
        print(f"{'ratio editor check/spur check':44s} {c / t:11.2f}x")
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
