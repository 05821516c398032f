#!/usr/bin/env python3
"""make bench, part "photos": photo-mission uploads against their reference.

Starts its own spurd on a fresh database (loopback, a free port) with one photo puzzle
and as many teams as uploads; renders a phone-sized JPEG (an A4 poster page at 300 dpi,
2480 x 3508, like a 9-megapixel photo) and sends it once per team, CONCURRENCY at a
time (spurd decodes at most 4 at once). The reference, in the same run: vipsref, the
same libvips pipeline with the same durable write and no server, in CONCURRENCY
processes. Prints photos per second for both, the ratio, and the p99 upload time.

    python3 tests/bench/photos.py [--build DIR] [--uploads N] [--concurrency C]
"""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def iso(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("SPUR_BUILD", "build"))
    ap.add_argument("--uploads", type=int, default=48)
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    tmp = tempfile.mkdtemp(prefix="spur-bench-photos-")
    proc = None
    try:
        db = os.path.join(tmp, "photos.db")
        hunt = {"id": "fotos", "title": "Fotos", "starts_at": iso(-60), "ends_at": iso(86400),
                "late_sync_grace": 3600, "photo_consent": "Bench",
                "places": [{"id": "p", "name": "Platz"}],
                "puzzles": [{"id": "foto", "title": "Foto", "kind": "photo", "points": 1},
                            {"id": "s", "title": "S", "kind": "scan", "place": "p", "points": 1}]}
        with open(os.path.join(tmp, "hunt.json"), "w") as f:
            json.dump(hunt, f)
        spur = os.path.join(build, "spur")
        subprocess.run([spur, "import", os.path.join(tmp, "hunt.json"), "--db", db], check=True,
                       capture_output=True)
        pdf = os.path.join(tmp, "p.pdf")
        subprocess.run([spur, "posters", "--db", db, "--hunt", "fotos", "-o", pdf], check=True,
                       capture_output=True)
        subprocess.run(["pdftoppm", "-r", "300", "-jpeg", "-singlefile", pdf,
                        os.path.join(tmp, "photo")], check=True)
        jpeg_path = os.path.join(tmp, "photo.jpg")
        with open(jpeg_path, "rb") as f:
            jpeg = f.read()

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, SPUR_ADMIN_TOKEN="bench-photos", SPUR_LOG="warn",
                   SPUR_TEAMS_PER_MINUTE="100000")
        proc = subprocess.Popen([os.path.join(build, "spurd"), "--db", db, "--listen",
                                 f"127.0.0.1:{port}", "--assets", os.path.join(ROOT, "assets")],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)

        def request(method, path, body, headers):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                return r.status, r.read()
            finally:
                c.close()

        tokens = []
        for i in range(args.uploads):
            st, body = request("POST", "/api/hunts/fotos/teams",
                               json.dumps({"name": f"Team {i:03d}"}),
                               {"Content-Type": "application/json"})
            assert st == 201, (st, body)
            tokens.append(json.loads(body)["token"])

        def upload(tok):
            t0 = time.perf_counter()
            st, body = request("POST", "/api/hunts/fotos/puzzles/foto/photo", jpeg,
                               {"Content-Type": "image/jpeg", "Authorization": "Bearer " + tok})
            return st, time.perf_counter() - t0

        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as ex:
            results = list(ex.map(upload, tokens))
        wall = time.perf_counter() - t0
        ok = sum(1 for st, _ in results if st == 202)
        times = sorted(t for _, t in results)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        spurd_rate = ok / wall

        # the reference: the same pipeline, CONCURRENCY processes, no server
        refdir = os.path.join(tmp, "ref")
        os.mkdir(refdir)
        each = max(1, args.uploads // args.concurrency)
        t0 = time.perf_counter()
        procs = [subprocess.Popen([os.path.join(build, "bench", "vipsref"), jpeg_path, str(each),
                                   refdir], stdout=subprocess.PIPE)
                 for _ in range(args.concurrency)]
        for p in procs:
            p.communicate()
            assert p.returncode == 0
        ref_rate = each * args.concurrency / (time.perf_counter() - t0)

        print(f"photo uploads: {len(jpeg) // 1024} KB JPEG, 2480 x 3508 -> 1600 px, "
              f"{args.uploads} uploads, {args.concurrency} at a time")
        print("%-44s %12.1f photos/s   p99 %.0f ms   (202: %d of %d)" %
              ("POST photo (libvips, durable), spurd", spurd_rate, p99 * 1000, ok, len(results)))
        print("%-44s %12.1f photos/s" % ("libvips alone, same pipeline, %d processes" %
                                          args.concurrency, ref_rate))
        print("%-44s %12s" % ("ratio spurd/libvips alone", f"{spurd_rate / max(ref_rate, 1e-9):.2f}x"))
        return 0 if ok == len(results) else 1
    finally:
        if proc:
            proc.terminate()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
