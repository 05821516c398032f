#!/usr/bin/env python3
"""make bench, scale part: one answer -> its push at every one of many event streams.

Opens CLIENTS streams GET /api/hunts/{h}/events?limit=0 (what the phone app opens),
spread over a few processes (--procs) and several loopback source addresses
(127.0.0.2, 127.0.0.3, ...: --sources), so neither this machine's port range per
address nor spurd's per-address connection cap is what is measured. Each client parses
its stream for real (events.py's SSEClient) and notes the kernel's receive time
(SO_TIMESTAMPNS) of every leaderboard event.

Then, with nothing else going on, it posts --changes correct answers, one at a time,
each from a team that had not solved that puzzle (so each changes the board), with
1.2-2.2 s between them (random, so the answers fall at every phase of a periodic
push). For each answer and each stream the latency is from the answer's 200 (kernel
receive time of its last bytes at the poster) to the stream's next event; a push
carrying the change cannot arrive earlier, since spurd applies the change in the same
callback that answers 200. Reported: p50/p99/max over all (answer, stream) pairs,
pairs that got no event within the wait, events that arrived after an answer was sent
but before its 200 (not credited to it: there should be none), and per answer the
spread from the first to the last stream reached; spurd's RSS with the streams open
and its CPU time meanwhile.

    python3 tests/bench/fanout.py --url http://127.0.0.1:PORT --hunt H --pid PID \
        --answers FILE [--clients 10000] [--changes 10] [--procs 2] [--sources 10]

FILE: JSON [[token, puzzle, answer], ...], correct answers not given yet (one per change).
Prints a JSON object on the last line (the human lines before it go to stderr).
Exit status 1 when the run could not be done (no stream opened, an answer failed, a
step timed out).
"""
import argparse
import asyncio
import bisect
import json
import math
import multiprocessing
import os
import random
import resource
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import events  # noqa: E402  (the SSE client, kernel timestamps, /proc readers)

CONNECT_BATCH = 200  # streams connecting at once, per process
CONNECT_TIMEOUT = 20.0  # per batch: until each stream in it has its first event
DRAIN = 3.0  # after the last answer's 200: a periodic push comes at most 1 s later


def pct(sorted_vals, p):
    if not sorted_vals:
        return None
    return sorted_vals[max(0, math.ceil(p / 100.0 * len(sorted_vals)) - 1)]


def log(msg):
    print(f"fanout.py: {msg}", file=sys.stderr, flush=True)


# ---- a client process -------------------------------------------------------------

async def child_async(conn, idxs, sources, host, port, path):
    loop = asyncio.get_running_loop()
    clients = [events.SSEClient(j, 0, sources[j % len(sources)]) for j in idxs]
    ok, failed = [], []

    async def one(c):
        try:
            await asyncio.wait_for(c.open(loop, host, port, path), CONNECT_TIMEOUT)
            return await asyncio.wait_for(asyncio.shield(c.ready), CONNECT_TIMEOUT)
        except asyncio.TimeoutError:
            c.lost(f"no first event within {CONNECT_TIMEOUT:.0f} s")
            return False

    for start in range(0, len(clients), CONNECT_BATCH):
        batch = clients[start:start + CONNECT_BATCH]
        res = await asyncio.gather(*(one(c) for c in batch))
        for c, good in zip(batch, res):
            (ok if good else failed).append(c)
        if not any(res):
            failed.extend(clients[start + CONNECT_BATCH:])
            break
    for c in failed:
        c.close()
    conn.send({"ready": len(ok), "failed": len(failed),
               "reasons": sorted({c.error or "?" for c in failed})[:3]})
    stop = loop.create_future()

    def on_msg():
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            os._exit(1)  # the parent is gone: so are we
        if not stop.done():
            stop.set_result(msg)
    loop.add_reader(conn.fileno(), on_msg)
    since = (await stop)["since"]
    loop.remove_reader(conn.fileno())
    out = {"times": [[t for t in c.ev_times if t >= since] for c in ok],
           "dropped": sorted({c.error for c in ok if c.error})[:3],
           "ndropped": sum(1 for c in ok if c.error),
           "bad": sum(len(c.bad) for c in ok)}
    for c in ok:
        c.closing = True
        c.close()
    conn.send(out)


def child(conn, idxs, sources, host, port, path):
    # Phones are other machines; here the readers share spurd's cores. They read at
    # the lowest priority, so they take as little CPU from spurd as possible while it
    # pushes: what is measured is the kernel's receive time, which does not depend on
    # when a reader gets round to reading.
    os.nice(19)
    try:
        asyncio.run(child_async(conn, idxs, sources, host, port, path))
    except Exception as e:  # the parent must hear of it, not wait forever
        try:
            conn.send({"error": repr(e)[:200]})
        except OSError:
            pass


def recv(conn, proc, timeout):
    if not conn.poll(timeout):
        raise RuntimeError(f"a client process did not answer within {timeout:.0f} s")
    msg = conn.recv()
    if "error" in msg:
        raise RuntimeError(f"a client process failed: {msg['error']}")
    return msg


# ---- the run ----------------------------------------------------------------------

def post_answer(a, tok, puzzle, answer):
    st, body, t = events.http_blocking(a.host, a.port, "POST",
                                       f"/api/hunts/{a.hunt}/puzzles/{puzzle}/answer",
                                       {"answer": answer}, {"Authorization": f"Bearer {tok}"})
    if st != 200 or json.loads(body).get("correct") is not True:
        raise RuntimeError(f"answer: {st} {body[:80]!r}")
    return t


def run(a, pool):
    sources = [f"127.0.0.{2 + i}" for i in range(a.sources)]
    path = f"/api/hunts/{a.hunt}/events?limit=0"
    ctx = multiprocessing.get_context("fork")
    procs = []
    rss0 = events.proc_rss_kib(a.pid)
    cpu0, t0 = events.proc_cpu_s(a.pid), time.time()
    for p in range(a.procs):
        parent, kid = ctx.Pipe()
        idxs = list(range(p, a.clients, a.procs))
        pr = ctx.Process(target=child, args=(kid, idxs, sources, a.host, a.port, path), daemon=True)
        pr.start()
        procs.append((pr, parent))
    budget = (a.clients / a.procs / CONNECT_BATCH + 1) * CONNECT_TIMEOUT
    ready = [recv(conn, pr, budget) for pr, conn in procs]
    connect_s, connect_cpu = time.time() - t0, events.proc_cpu_s(a.pid) - cpu0
    n_ok = sum(r["ready"] for r in ready)
    n_failed = sum(r["failed"] for r in ready)
    reasons = sorted({x for r in ready for x in r["reasons"]})
    log(f"{n_ok} streams open, {n_failed} failed, in {connect_s:.1f} s")
    if not n_ok:
        raise RuntimeError(f"no event stream opened ({'; '.join(reasons)})")
    time.sleep(1.0)
    rss = events.proc_rss_kib(a.pid)

    since = time.time()
    cpu1 = events.proc_cpu_s(a.pid)
    sent, oks = [], []
    for k in range(a.changes):
        time.sleep(random.uniform(1.2, 2.2))
        tok, puzzle, answer = pool[k]
        sent.append(time.time())
        oks.append(post_answer(a, tok, puzzle, answer))
    time.sleep(DRAIN)
    cpu2, window = events.proc_cpu_s(a.pid), time.time() - since
    for pr, conn in procs:
        conn.send({"since": since})
    results = [recv(conn, pr, 60) for pr, conn in procs]
    for pr, conn in procs:
        pr.join(10)
    end = time.time()

    times = [ts for r in results for ts in r["times"]]
    lat, missed, spreads, early = [], 0, [], 0
    for k, t_ok in enumerate(oks):
        first = []
        for ts in times:
            i = bisect.bisect_left(ts, t_ok)
            early += i - bisect.bisect_right(ts, sent[k])  # between sending and the 200
            if i < len(ts) and ts[i] <= end:
                lat.append(ts[i] - t_ok)
                first.append(ts[i])
            else:
                missed += 1
        if first:
            spreads.append(max(first) - min(first))
    lat.sort()
    spreads.sort()
    return {
        "clients": a.clients, "connected": n_ok, "failed": n_failed, "fail_reasons": reasons,
        "connect_s": connect_s, "connect_cpu_s": connect_cpu,
        "changes": len(oks), "pairs": len(oks) * len(times), "missed": missed, "early": early,
        "p50_ms": 1000 * pct(lat, 50) if lat else None,
        "p99_ms": 1000 * pct(lat, 99) if lat else None,
        "max_ms": 1000 * lat[-1] if lat else None,
        "spread_p50_ms": 1000 * pct(spreads, 50) if spreads else None,
        "spread_max_ms": 1000 * spreads[-1] if spreads else None,
        "dropped": sum(r["ndropped"] for r in results),
        "drop_reasons": sorted({x for r in results for x in r["dropped"]})[:3],
        "bad_events": sum(r["bad"] for r in results),
        "rss_before_kib": rss0, "rss_kib": rss,
        "cpu_s_changes": cpu2 - cpu1, "window_s": window,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--hunt", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--answers", required=True)
    ap.add_argument("--clients", type=int, default=10000)
    ap.add_argument("--changes", type=int, default=10)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--sources", type=int, default=10)
    a = ap.parse_args()
    u = urllib.parse.urlsplit(a.url)
    a.host, a.port = u.hostname, u.port or 80
    if min(a.clients, a.changes, a.procs, a.sources) < 1 or a.sources > 250:
        ap.error("--clients, --changes, --procs >= 1; --sources 1..250")
    with open(a.answers) as f:
        pool = [tuple(x) for x in json.load(f)]
    if len(pool) < a.changes:
        ap.error(f"{a.changes} changes need as many answers; {a.answers} has {len(pool)}")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = a.clients // a.procs + 256
    if soft < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(need, soft)), hard))
        except (ValueError, OSError):
            pass
        if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < need:
            log(f"{a.clients} streams in {a.procs} processes need {need} descriptors each; "
                f"ulimit -n allows {soft} (hard {hard}): use more --procs")
            return 1
    try:
        res = run(a, pool)
    except RuntimeError as e:
        log(str(e))
        return 1
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
