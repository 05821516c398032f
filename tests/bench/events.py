#!/usr/bin/env python3
"""Live-leaderboard fan-out: many Server-Sent Events clients on one spurd.

Called by bench.sh after the wrk runs (Python 3 standard library only). Two phases,
each with CLIENTS streams on GET /api/hunts/{h}/events:

  phones   ?limit=0   a change notice, what the phone web app asks for
  staff    no limit   the top 100 rows, what staff screens ask for

In each phase a driver posts correct answers from different teams at a steady rate
for DURATION seconds and notes when each 200 came back. The clients parse the stream
for real (HTTP head, chunked framing if any, events split on blank lines, fields,
JSON of the data) and count every byte they read from their sockets (HTTP and SSE;
TCP/IP and TLS framing, which a phone also pays for, are not counted). Reported per
phase: leaderboard events and bytes per client per second, delivery latency (for each
answer and each client: from the answer's 200 to the client's next event), clients
that got every push and clients whose stream ended under them, spurd's CPU seconds
(/proc/PID/stat) and RSS (/proc/PID/status). Phones' notices (?limit=0) are pushed as
soon as a change is saved (at most one per 50 ms); staff streams of rows at most once a
second, so up to 1 s of latency is by design there; a push that carries a change but reaches a client
before the answer's 200 reached the driver is not credited to it (the next one is).

Times are the kernel's receive timestamps (SO_TIMESTAMPNS), for the answers' 200s as
for the events, so how late this one Python process gets round to reading its 2000
sockets does not count as spurd's latency; the "client loop lag" row shows how late it
was. Exit status 1 only when the run could not be done (no stream opened, a step timed
out); drops and misses are results, printed.
"""
import argparse
import asyncio
import bisect
import concurrent.futures
import json
import math
import os
import re
import resource
import socket
import struct
import sys
import threading
import time
import urllib.parse

now = time.time  # the kernel timestamps are CLOCK_REALTIME: so is everything compared to them
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux, asm-generic value
TIMESPEC = struct.Struct("@ll")
CMSG_LEN = socket.CMSG_SPACE(TIMESPEC.size)
BLANK_LINE = re.compile(rb"\r?\n\r?\n")  # the end of an event: an empty line (LF or CRLF)
CONNECT_BATCH = 100  # clients connecting at once
CONNECT_TIMEOUT = 15.0  # per batch: until every client in it has its first event
DRAIN = 2.5  # after the last answer's 200: staff streams get rows at most once a second
VALIDATE_EVERY = 10  # events over 4 KiB: every 10th client JSON-checks them (all check small ones)


def die(msg):
    print(f"events.py: {msg}", file=sys.stderr)
    sys.exit(1)


class GiveUp(Exception):
    """A phase cannot be measured; the message says why."""


def pct(sorted_vals, p):
    """Nearest-rank percentile of a sorted list."""
    if not sorted_vals:
        return None
    return sorted_vals[max(0, math.ceil(p / 100.0 * len(sorted_vals)) - 1)]


def kernel_time(ancdata):
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= TIMESPEC.size:
            sec, nsec = TIMESPEC.unpack_from(data)
            return sec + nsec / 1e9
    return now()  # no timestamp (another kernel): when we read it


# ---- spurd's process ------------------------------------------------------------

def proc_read(pid, name):
    try:
        with open(f"/proc/{pid}/{name}") as f:
            return f.read()
    except OSError:
        raise GiveUp(f"spurd (pid {pid}) is gone") from None


def proc_cpu_s(pid):
    rest = proc_read(pid, "stat").rsplit(")", 1)[1].split()
    # after "(comm)" comes field 3 (state); utime and stime are fields 14 and 15
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_kib(pid):
    for line in proc_read(pid, "status").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ---- one-shot HTTP requests (driver, metrics), in threads ------------------------

def http_blocking(host, port, method, path, body=None, headers=None, timeout=10.0):
    """One connection per request, like a phone. Returns (status, body, t) where t is
    when the response's last bytes reached this machine's socket."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        data = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        for k, v in (headers or {}).items():
            head += f"{k}: {v}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        s.sendall(head.encode() + b"\r\n" + data)
        buf, t, length, end = bytearray(), None, None, -1
        while True:
            chunk, anc, _, _ = s.recvmsg(65536, CMSG_LEN)
            if not chunk:
                break
            buf += chunk
            t = kernel_time(anc)
            if end < 0 and (end := buf.find(b"\r\n\r\n")) >= 0:
                for line in buf[:end].decode("latin-1").split("\r\n")[1:]:
                    k, _, v = line.partition(":")
                    if k.strip().lower() == "content-length":
                        length = int(v)
            if end >= 0 and length is not None and len(buf) >= end + 4 + length:
                break
        if end < 0:
            raise ValueError("no complete response head")
        status = int(buf[:end].split(b" ", 2)[1])
        return status, bytes(buf[end + 4:]), t


POOL = concurrent.futures.ThreadPoolExecutor(max_workers=16)  # requests
SCHEDULER = concurrent.futures.ThreadPoolExecutor(max_workers=1)  # the driver's clock


async def http(*args, **kw):
    return await asyncio.get_running_loop().run_in_executor(
        POOL, lambda: http_blocking(*args, **kw))


async def metrics(host, port):
    """spurd's /metrics as {name: value}; {} when unavailable."""
    try:
        status, body, _ = await http(host, port, "GET", "/metrics", timeout=5)
    except (OSError, ValueError, IndexError):
        return {}
    out = {}
    for line in body.decode("utf-8", "replace").splitlines() if status == 200 else []:
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return out


class Driver:
    """Posts correct answers not given yet: each one changes the leaderboard. Runs in
    threads of its own, so that the event clients keeping this process's event loop
    busy right after each push do not bunch the answers up."""

    def __init__(self, args, answers, fresh):
        self.args, self.answers, self.fresh = args, answers, fresh
        self.n = 0
        self.lock = threading.Lock()

    def change(self):
        """Returns (when the 200 came back, None) or (None, what went wrong)."""
        a = self.args
        with self.lock:
            self.n += 1
            n = self.n
            pick = self.answers.pop() if self.answers else None
        try:
            if pick:
                tok, puzzle, answer = pick
            elif self.fresh:  # the pool is used up: a new team answers
                st, body, _ = http_blocking(a.host, a.port, "POST", f"/api/hunts/{a.hunt}/teams",
                                            {"name": f"Events {os.getpid()} {n}"})
                if st != 201:
                    return None, f"new team: {st} {body[:60]!r}"
                tok = json.loads(body)["token"]
                puzzle, answer = self.fresh
            else:
                return None, "no unsolved answers left"
            st, body, t = http_blocking(a.host, a.port, "POST",
                                        f"/api/hunts/{a.hunt}/puzzles/{puzzle}/answer",
                                        {"answer": answer}, {"Authorization": f"Bearer {tok}"})
            if st == 200 and json.loads(body).get("correct") is True:
                return t, None
            return None, f"{st} {body[:60]!r}"
        except (OSError, ValueError, IndexError, KeyError) as e:
            return None, repr(e)[:60]

    def steady(self, t0, duration, rate):
        """Answers at t0, t0 + 1/rate, ... for duration seconds (blocking). Returns the
        times the 200s came back and what went wrong."""
        futs = []
        for i in range(int(duration * rate)):
            time.sleep(max(0.0, t0 + i / rate - now()))
            futs.append(POOL.submit(self.change))
        done, errors = [], []
        for f in futs:
            try:
                t_ok, err = f.result(timeout=max(1.0, t0 + duration + 15 - now()))
            except concurrent.futures.TimeoutError:
                t_ok, err = None, "answer timed out"
            if err:
                errors.append(err)
            else:
                done.append(t_ok)
        return done, errors


# ---- an event-stream client -----------------------------------------------------

class SSEClient:
    """One stream on a non-blocking socket the event loop watches."""

    def __init__(self, idx, limit, source=None):
        self.idx = idx
        self.limit = limit  # None: the server's default (100 rows)
        self.source = source  # local address to connect from (fanout.py), or None
        self.sock = None
        self.head = bytearray()
        self.in_head = True
        self.chunked = False
        self.chunk_state = "size"  # size line, data, or the CRLF after the data
        self.chunk_left = 0  # bytes of the current chunk still to come
        self.chunk_raw = bytearray()  # chunked framing not yet decoded
        self.buf = bytearray()  # event-stream text not yet split into events
        self.nbytes = 0  # every byte read from the socket, HTTP head included
        self.ev_times = []  # kernel arrival time of each leaderboard event
        self.ev_bytes = 0  # bytes of leaderboard events (their text, blank line included)
        self.other_events = 0  # event types we don't know: ignored (bytes still counted)
        self.comments = 0  # ": ping" and other comments
        self.bad = []  # malformed events, with why
        self.validate = idx % VALIDATE_EVERY == 0
        self.ready = None  # future: the first event arrived (True) or the stream failed
        self.error = None  # why the stream failed or ended early
        self.closed_at = None
        self.closing = False  # we closed it ourselves

    async def open(self, loop, host, port, path):
        self.loop = loop
        self.ready = loop.create_future()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        try:
            if self.source:
                self.sock.bind((self.source, 0))
            await loop.sock_connect(self.sock, (host, port))
            await loop.sock_sendall(self.sock, (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").encode())
        except OSError as e:
            self.lost(f"connect: {e!r}")
            return
        loop.add_reader(self.sock.fileno(), self.on_readable)

    def on_readable(self):
        for _ in range(4):  # a few reads per wake-up, then the other clients' turn
            try:
                data, anc, _, _ = self.sock.recvmsg(262144, CMSG_LEN)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                self.lost(f"connection lost: {e!r}")
                return
            if not data:
                self.lost("closed by the server before any response" if self.in_head
                          else "stream ended by the server")
                return
            self.received(data, kernel_time(anc))
            if self.sock is None:
                return

    def lost(self, why):
        if self.error is None and not self.closing:
            self.error = why
        self.close()
        if self.ready and not self.ready.done():
            self.ready.set_result(False)

    def close(self):
        if self.sock is not None:
            self.closed_at = now()
            try:
                self.loop.remove_reader(self.sock.fileno())
            except (ValueError, OSError):
                pass
            self.sock.close()
            self.sock = None

    def fail(self, why):
        self.lost(why)

    def received(self, data, t):
        self.nbytes += len(data)
        if self.in_head:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                if len(self.head) > 16384:
                    self.fail("response head over 16 KiB")
                return
            data = bytes(self.head[end + 4:])
            if not self.parse_head(bytes(self.head[:end])):
                return
            self.in_head = False
        if self.chunked:
            data = self.dechunk(data)
        if data:
            self.buf += data
            self.split_events(t)

    def parse_head(self, raw):
        lines = raw.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            self.fail(f"bad status line {lines[0]!r}")
            return False
        hdrs = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if status != 200:
            self.fail(f"HTTP {status}")
            return False
        if not hdrs.get("content-type", "").startswith("text/event-stream"):
            self.fail(f"Content-Type {hdrs.get('content-type')!r}")
            return False
        self.chunked = "chunked" in hdrs.get("transfer-encoding", "").lower()
        return True

    def dechunk(self, data):
        """Transfer-Encoding: chunked -> the bytes inside the chunks."""
        self.chunk_raw += data
        out = bytearray()
        while self.chunk_raw and self.sock is not None:
            if self.chunk_state == "data":
                take = min(self.chunk_left, len(self.chunk_raw))
                out += self.chunk_raw[:take]
                del self.chunk_raw[:take]
                self.chunk_left -= take
                if self.chunk_left == 0:
                    self.chunk_state = "crlf"
            elif self.chunk_state == "crlf":
                if len(self.chunk_raw) < 2:
                    break
                del self.chunk_raw[:2]
                self.chunk_state = "size"
            else:
                eol = self.chunk_raw.find(b"\r\n")
                if eol < 0:
                    break
                try:
                    size = int(bytes(self.chunk_raw[:eol]).split(b";")[0], 16)
                except ValueError:
                    self.fail("bad chunk size")
                    break
                del self.chunk_raw[:eol + 2]
                if size == 0:
                    self.fail("stream ended by the server (last chunk)")
                    break
                self.chunk_left, self.chunk_state = size, "data"
        return bytes(out)

    def split_events(self, t):
        pos = 0
        while True:
            m = BLANK_LINE.search(self.buf, pos)
            if not m:
                break
            self.block(bytes(self.buf[pos:m.start()]), m.end() - pos, t)
            pos = m.end()
        if pos:
            del self.buf[:pos]
        if len(self.buf) > 4 * 1024 * 1024:
            self.fail("4 MiB without an event boundary")

    def block(self, block, size, t):
        etype, data, has_data = b"message", [], False
        for line in block.split(b"\n"):
            line = line.rstrip(b"\r")
            if line.startswith(b":"):
                self.comments += 1
                continue
            name, colon, value = line.partition(b":")
            if colon and value.startswith(b" "):
                value = value[1:]
            if name == b"event":
                etype = value
            elif name == b"data":
                data.append(value)
                has_data = True
            # retry, id and unknown fields: nothing to do here
        if not has_data:
            return  # no data, no event (e.g. "retry: 3000")
        if etype != b"leaderboard":
            self.other_events += 1
            return
        self.ev_times.append(t)
        self.ev_bytes += size
        payload = b"\n".join(data)
        if len(self.ev_times) == 1 or self.validate or len(payload) <= 4096:
            self.check(payload)
        if not self.ready.done():
            self.ready.set_result(True)

    def check(self, payload):
        try:
            board = json.loads(payload)
            teams = board["teams"]
            want = min(100 if self.limit is None else self.limit, board["total"])
            if not isinstance(teams, list) or len(teams) != want or "state" not in board:
                raise ValueError(f"{len(teams)} rows, expected {want}")
        except (ValueError, KeyError, TypeError) as e:
            self.bad.append(str(e)[:80])


# ---- a phase --------------------------------------------------------------------

class Phase:
    def __init__(self, name, limit):
        self.name, self.limit = name, limit
        self.res = None  # the numbers, once measured
        self.error = None  # why not


async def connect_all(args, ph):
    """Opens the streams in batches; a client counts once its first event is in."""
    loop = asyncio.get_running_loop()
    path = f"/api/hunts/{args.hunt}/events" + ("" if ph.limit is None else f"?limit={ph.limit}")
    clients, failed = [], []

    async def one(c):
        try:
            await asyncio.wait_for(c.open(loop, args.host, args.port, path), CONNECT_TIMEOUT)
            return await asyncio.wait_for(asyncio.shield(c.ready), CONNECT_TIMEOUT)
        except asyncio.TimeoutError:
            c.lost("no first event within 15 s")
            return False

    for start in range(0, args.clients, CONNECT_BATCH):
        batch = [SSEClient(i, ph.limit) for i in range(start, min(args.clients, start + CONNECT_BATCH))]
        ok = await asyncio.gather(*(one(c) for c in batch))
        for c, good in zip(batch, ok):
            (clients if good else failed).append(c)
        if not any(ok):
            break  # a whole batch got nothing: more would not fare better
    for c in failed:
        c.close()
    for i in range(len(clients) + len(failed), args.clients):
        c = SSEClient(i, ph.limit)
        c.error = "not tried: a whole batch before failed"
        failed.append(c)
    if not clients:
        reasons = sorted({c.error or "?" for c in failed})
        raise GiveUp(f"no event stream could be opened ({'; '.join(reasons[:3])}); "
                     f"is spurd up, is SPUR_HTTP_MAX_CONNS_PER_ADDR high enough?")
    return clients, failed


async def run_phase(args, ph, drv, lag, last_phase):
    host, port = args.host, args.port
    m0 = await metrics(host, port)
    cpu_c0, tc0 = proc_cpu_s(args.pid), now()
    clients, failed = await connect_all(args, ph)
    connect_s, cpu_c1 = now() - tc0, proc_cpu_s(args.pid)
    conn_bytes = sum(c.nbytes for c in clients) / len(clients)  # head, retry, first event
    await asyncio.sleep(0.5)  # let the connect burst settle before measuring

    # the measured window: the driver posts answers for DURATION seconds
    t0, cpu0 = now(), proc_cpu_s(args.pid)
    b0 = [c.nbytes for c in clients]
    lag.clear()
    driving = asyncio.get_running_loop().run_in_executor(
        SCHEDULER, drv.steady, t0, args.duration, args.rate)
    await asyncio.sleep(max(0.0, t0 + args.duration - now()))
    t1, cpu1 = now(), proc_cpu_s(args.pid)  # end of the window for the rates
    b1 = [c.nbytes for c in clients]
    e1 = [bisect.bisect_left(c.ev_times, t1) - bisect.bisect_left(c.ev_times, t0) for c in clients]
    lag_window = sorted(lag)
    done, errors = await driving  # when each answer's 200 came back; what went wrong
    await asyncio.sleep(max(0.0, (max(done) if done else t1) + DRAIN - now()))
    t2 = now()  # every push for the last answer was due by now
    rss = proc_rss_kib(args.pid)
    m1 = await metrics(host, port)

    # counted before we close anything ourselves
    dropped = [c for c in clients if c.error is not None]
    pushes = [bisect.bisect_left(c.ev_times, t2) - bisect.bisect_left(c.ev_times, t0)
              for c in clients]
    expected = max(pushes)
    full = [c for c, n in zip(clients, pushes) if n == expected and c.error is None]
    lat, missed = [], 0
    for c in clients:
        for t_ok in done:
            k = bisect.bisect_right(c.ev_times, t_ok)
            if k < len(c.ev_times) and c.ev_times[k] <= t2:
                lat.append(c.ev_times[k] - t_ok)
            else:
                missed += 1  # no event after this change: stream gone or push lost
    lat.sort()
    spreads = []  # the k-th push of the window, first to last client that got them all
    arrivals = []  # when the k-th push reached its first client
    if full and expected:
        firsts = [bisect.bisect_left(c.ev_times, t0) for c in full]
        for k in range(expected):
            ts = [c.ev_times[f + k] for c, f in zip(full, firsts)]
            spreads.append(max(ts) - min(ts))
            arrivals.append(min(ts))
    spreads.sort()
    gaps = sorted(b - a for a, b in zip(arrivals, arrivals[1:]))
    n, window = len(clients), t1 - t0
    srv_drop = None
    if m0 and m1:
        srv_drop = (m1.get("spur_event_streams_dropped_total", 0)
                    - m0.get("spur_event_streams_dropped_total", 0))
    ph.res = dict(
        connected=n, failed=len(failed), fail_reasons=sorted({c.error or "?" for c in failed}),
        connect_s=connect_s, connect_cpu=cpu_c1 - cpu_c0, conn_bytes=conn_bytes,
        complete=len(full), dropped=len(dropped), drop_reasons=sorted({c.error for c in dropped}),
        expected=expected, min_pushes=min(pushes),
        ev_per_s=sum(e1) / n / window,
        bytes_per_s=sum(b - a for a, b in zip(b0, b1)) / n / window,
        bytes_per_event=sum(c.ev_bytes for c in clients) / max(1, sum(len(c.ev_times) for c in clients)),
        lat=lat, missed=missed, answers_ok=len(done), answers_bad=errors,
        spread_p50=pct(spreads, 50), spread_max=spreads[-1] if spreads else None,
        gap_p50=pct(gaps, 50), gap_max=gaps[-1] if gaps else None,
        cpu_window=cpu1 - cpu0, window=window, rss=rss,
        lag_p99=pct(lag_window, 99), lag_max=lag_window[-1] if lag_window else None,
        bad=sum(len(c.bad) for c in clients), bad_sample=next((c.bad[0] for c in clients if c.bad), None),
        other=sum(c.other_events for c in clients), srv_dropped=srv_drop,
        held_after_close=None, pushes_to_release=None,
    )

    # Close every stream. spurd should let go of each at once (it reads a stream's
    # socket to see the client leave; before it did, it noticed only when a later
    # push failed): count what it still holds after 2 s, and if any (when a phase
    # follows) push changes until it has let go, so the next phase starts clean.
    for c in clients:
        c.closing = True
        c.close()
    base = m0.get("spur_event_streams") if m0 else None
    if base is None:
        return
    await asyncio.sleep(2.0)
    held = (await metrics(host, port)).get("spur_event_streams", base) - base
    ph.res["held_after_close"] = held
    if held > 0 and not last_phase:
        for k in range(1, 6):
            await asyncio.get_running_loop().run_in_executor(POOL, drv.change)
            await asyncio.sleep(1.2)
            if (await metrics(host, port)).get("spur_event_streams", base) <= base:
                ph.res["pushes_to_release"] = k
                break


async def lag_monitor(lag):
    """How late this process wakes up (monotonic clock)."""
    step = 0.01
    while True:
        t = time.monotonic()
        await asyncio.sleep(step)
        lag.append(time.monotonic() - t - step)


async def main(args):
    with open(args.answers) as f:
        spec = json.load(f)
    answers = [tuple(a) for a in spec["answers"]]
    answers.reverse()  # pop() from the end takes them in file order
    drv = Driver(args, answers, tuple(spec["fresh"]) if spec.get("fresh") else None)
    lag = []
    mon = asyncio.create_task(lag_monitor(lag))
    phases = [Phase("phones", 0), Phase("staff", None)]
    for i, ph in enumerate(phases):
        try:
            await run_phase(args, ph, drv, lag, i == len(phases) - 1)
            if not ph.res["answers_ok"]:
                ph.error = "no answer got its 200, so no change to measure"
        except GiveUp as e:
            ph.error = str(e)
            break
    mon.cancel()
    return phases


def report(args, phases, rss0):
    p, s = phases[0].res, phases[1].res
    ms = lambda v: "-" if v is None else f"{v * 1000:.0f}"
    both = lambda f: tuple(f(r) if r else "-" for r in (p, s))
    print(f"event streams: {args.clients} clients per phase, {args.rate:g} answers/s for "
          f"{args.duration:g}s; notices follow each saved change (at most 1 per 50 ms), rows come at most 1/s; "
          f"spurd RSS before {rss0 / 1024:.1f} MiB")
    rows = [
        ("", "?limit=0 (phones)", "default (staff, 100 rows)"),
        ("clients connected / failed to connect", *both(lambda r: f"{r['connected']} / {r['failed']}")),
        ("connect all: s / spurd CPU s", *both(lambda r: f"{r['connect_s']:.1f} / {r['connect_cpu']:.2f}")),
        ("clients with every push / dropped", *both(lambda r: f"{r['complete']} / {r['dropped']}")),
        ("pushes in phase (fewest a client saw)", *both(lambda r: f"{r['expected']} ({r['min_pushes']})")),
        ("events per client per s", *both(lambda r: f"{r['ev_per_s']:.2f}")),
        ("bytes per client per s", *both(lambda r: f"{r['bytes_per_s']:.0f}")),
        ("bytes per connect (HTTP head + first event)", *both(lambda r: f"{r['conn_bytes']:.0f}")),
        ("bytes per event (SSE text)", *both(lambda r: f"{r['bytes_per_event']:.0f}")),
        ("latency answer 200 -> event p50/p99/max ms",
         *both(lambda r: f"{ms(pct(r['lat'], 50))} / {ms(pct(r['lat'], 99))} / "
                         f"{ms(r['lat'][-1] if r['lat'] else None)}")),
        ("(answer, client) pairs with no event",
         *both(lambda r: f"{r['missed']} of {r['answers_ok'] * r['connected']}")),
        ("time between pushes p50/max ms",
         *both(lambda r: f"{ms(r['gap_p50'])} / {ms(r['gap_max'])}")),
        ("one push, first -> last client p50/max ms",
         *both(lambda r: f"{ms(r['spread_p50'])} / {ms(r['spread_max'])}")),
        ("spurd CPU s in window (share of 1 core)",
         *both(lambda r: f"{r['cpu_window']:.2f} ({100 * r['cpu_window'] / r['window']:.0f}%)")),
        ("spurd RSS MiB, clients connected", *both(lambda r: f"{r['rss'] / 1024:.1f}")),
        ("client loop lag p99/max ms (not in latency)",
         *both(lambda r: f"{ms(r['lag_p99'])} / {ms(r['lag_max'])}")),
    ]
    for label, a, b in rows:
        print(f"{label:<44} {a:>20} {b:>28}")
    if p and s and p["bytes_per_s"] > 0:
        print(f"{'ratio bytes per client staff/phone':<44} {s['bytes_per_s'] / p['bytes_per_s']:>19.1f}x")
    for ph in phases:
        r = ph.res
        if not r:
            if ph.error:
                print(f"  {ph.name}: not measured: {ph.error}")
            continue
        notes = []
        if r["failed"]:
            notes.append(f"failed to connect: {'; '.join(r['fail_reasons'][:3])}")
        if r["dropped"]:
            notes.append(f"dropped: {'; '.join(r['drop_reasons'][:3])}")
        if r["srv_dropped"]:
            notes.append(f"spurd counted {r['srv_dropped']:.0f} slow-client drops")
        if r["answers_bad"]:
            notes.append(f"{len(r['answers_bad'])} answers not 200/correct, e.g. {r['answers_bad'][0]}")
        if r["bad"]:
            notes.append(f"{r['bad']} malformed events, e.g. {r['bad_sample']}")
        if r["other"]:
            notes.append(f"{r['other']} events of other types ignored")
        if r["held_after_close"]:
            note = (f"spurd still held {r['held_after_close']:.0f} streams 2 s after "
                    f"their clients had closed them")
            if r["pushes_to_release"]:
                note += f"; let go after {r['pushes_to_release']} more change(s) pushed"
            elif ph is not phases[-1]:
                note += "; still held after 5 more changes pushed"
            notes.append(note)
        if ph.error:
            notes.append(f"not measured: {ph.error}")
        for n in notes:
            print(f"  {ph.name}: {n}")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="spurd's base URL, http://HOST:PORT")
    ap.add_argument("--hunt", required=True)
    ap.add_argument("--pid", type=int, required=True, help="spurd's process id")
    ap.add_argument("--answers", required=True,
                    help='JSON {"answers": [[token, puzzle, answer], ...], "fresh": [puzzle, answer]}'
                         ": correct answers not given yet; fresh: what a new team may answer")
    ap.add_argument("--clients", type=int, default=int(os.environ.get("EVENT_CLIENTS", 2000)))
    ap.add_argument("--duration", type=float, default=float(os.environ.get("DURATION", 8)))
    ap.add_argument("--rate", type=float, default=20.0, help="answers per second")
    args = ap.parse_args()
    u = urllib.parse.urlsplit(args.url)
    args.host, args.port = u.hostname, u.port or 80
    if args.clients < 1 or args.duration <= 0 or args.rate <= 0:
        ap.error("--clients, --duration and --rate must be positive")
    return args


if __name__ == "__main__":
    args = parse_args()
    try:
        with open(f"/proc/{args.pid}/comm") as f:
            comm = f.read().strip()
    except OSError:
        die(f"no process {args.pid}")
    if comm != "spurd":
        print(f"events.py: warning: process {args.pid} is {comm!r}, not spurd", file=sys.stderr)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.clients + 256
    if soft < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
        except (ValueError, OSError):
            pass
        if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < need:
            die(f"{args.clients} clients need {need} file descriptors; ulimit -n allows {soft}")
    rss0 = proc_rss_kib(args.pid)
    # per phase: connecting, the window, answers still out, the drain, closing
    budget = 2 * (args.clients / CONNECT_BATCH * 2 + args.duration + 15 + DRAIN + 12) + 10
    try:
        phases = asyncio.run(asyncio.wait_for(main(args), budget))
    except asyncio.TimeoutError:
        die(f"gave up after {budget:.0f} s: spurd or this machine is too slow for "
            f"{args.clients} clients (try EVENT_CLIENTS=500)")
    report(args, phases, rss0)
    failed = any(ph.error for ph in phases)
    POOL.shutdown(wait=False, cancel_futures=True)
    SCHEDULER.shutdown(wait=False, cancel_futures=True)
    sys.exit(1 if failed else 0)
