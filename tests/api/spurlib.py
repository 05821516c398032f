"""Helpers for the black-box API tests: start a real spurd on a free port with a
fresh database, talk HTTP to it (well-formed or raw bytes), and fail when its
stderr holds a sanitizer report. Python 3 standard library only.

    with Server(hunt_json=demo_hunt()) as srv:
        status, body = srv.json("GET", "/api/hunts")
"""

import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
SANITIZER_MARKS = (
    "ERROR: AddressSanitizer",
    "runtime error:",
    "LeakSanitizer",
    "SUMMARY: UndefinedBehaviorSanitizer",
)


def build_dir():
    """The build directory from SPUR_BUILD (default "build"), relative to the repo."""
    b = os.environ.get("SPUR_BUILD", "build")
    return b if os.path.isabs(b) else os.path.join(REPO, b)


BUILD = build_dir()


def schema_version():
    """SPUR_SCHEMA_VERSION as server/store/store.h defines it (the version a fresh or
    migrated database gets)."""
    with open(os.path.join(REPO, "server", "store", "store.h"), encoding="utf-8") as f:
        return int(re.search(r"#define SPUR_SCHEMA_VERSION (\d+)", f.read()).group(1))


def now_iso(offset_seconds=0):
    """RFC 3339 UTC time, offset_seconds from now, e.g. "2026-06-18T10:00:00Z"."""
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# A hunt that ends this many seconds after the test builds it: room for a slow start
# of the sanitizer build on a busy machine before the deadline (ends_at has whole
# seconds, so up to one of them is lost to truncation).
SHORT_HUNT = 6


def epoch(iso):
    """Seconds since 1970 of an RFC 3339 UTC time as now_iso writes it."""
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def sleep_until(t):
    """Sleeps until time.time() >= t."""
    while time.time() < t:
        time.sleep(min(0.05, max(0.0, t - time.time())))


def demo_hunt(starts_in=-60, ends_in=3600):
    """A small valid hunt (id "test-hunt") in the hunt-file format of puzzles/README.md."""
    return {
        "id": "test-hunt",
        "title": "Test-Rallye",
        "intro": "Findet die Spuren!",
        "language": "de",
        "starts_at": now_iso(starts_in),
        "ends_at": now_iso(ends_in),
        "places": [
            {"id": "rathaus", "name": "Rathaus", "lat": 49.4447, "lon": 7.7690,
             "where": "am Haupteingang"},
            {"id": "brunnen", "name": "Brunnen", "lat": 49.4430, "lon": 7.7700,
             "where": "auf dem Platz"},
        ],
        "puzzles": [
            {"id": "find-rathaus", "title": "Das Rathaus", "kind": "scan", "place": "rathaus",
             "clue": "Wo regiert die Stadt?", "points": 5},
            {"id": "kaiser", "title": "Der Kaiser", "clue": "Wer gab der Stadt ihren Beinamen?",
             "points": 10, "requires": ["find-rathaus"],
             "answer": {"accept": ["Barbarossa"],
                        "partial": {"Friedrich": "Welcher Friedrich?"}},
             "hints": [{"text": "Rotbart auf Italienisch", "cost": 3}]},
            {"id": "stufen", "title": "Stufen", "clue": "Wie viele Stufen?", "points": 8,
             "answer": {"number": 42, "tolerance": 0}},
            {"id": "farbe", "title": "Farbe", "clue": "Welche Farbe hat das Tor?", "points": 4,
             "answer": {"choices": ["rot", "gruen", "blau"], "correct": 1}},
        ],
        "prizes": [
            {"id": "paket", "name": "Kaiserslautern-Paket", "count": 1, "eligible": "all"},
            {"id": "sachpreis", "name": "Kleiner Sachpreis", "count": "all",
             "eligible": "finished"},
        ],
    }


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sanitizer_env(env):
    """ASan/UBSan report to stderr and abort on the first error."""
    asan = "abort_on_error=1:halt_on_error=1:detect_leaks=1:print_summary=1"
    if os.environ.get("SPUR_NO_LSAN"):
        asan = asan.replace("detect_leaks=1", "detect_leaks=0")
    env.setdefault("ASAN_OPTIONS", asan)
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:abort_on_error=1:print_stacktrace=1")
    env.setdefault("LSAN_OPTIONS", "exitcode=23")
    return env


class Server:
    """A spurd on 127.0.0.1:<free port> with a fresh database in a temp dir.

    Use as a context manager; leaving it stops the server (SIGTERM, exit 0 expected)
    and fails on a sanitizer report in its stderr."""

    def __init__(self, hunt_path=None, hunt_json=None, env=None, args=()):
        self.hunt_path = hunt_path
        self.hunt_json = hunt_json
        self.env = dict(env or {})  # extra environment for spurd; may be changed before start()
        self.args = list(args)
        self.admin_token = ADMIN_TOKEN
        self.proc = None
        self.tmp = None
        self.port = None
        self.url = None

    # -- lifecycle -------------------------------------------------------------

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="spur-test-")
        self.dir = self.tmp
        self.db = os.path.join(self.tmp, "spur.db")
        self.stderr_path = os.path.join(self.tmp, "spurd.stderr")
        self.stdout_path = os.path.join(self.tmp, "spurd.stdout")
        try:
            if self.hunt_json is not None:
                self.import_hunt(self.hunt_json)
            if self.hunt_path is not None:
                self.import_hunt(self.hunt_path)
            self.port = free_port()
            self.url = "http://127.0.0.1:%d" % self.port
            self.start()
        except BaseException:
            self._cleanup(check=False)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        self._cleanup(check=exc_type is None)
        return False

    def _cleanup(self, check):
        try:
            if self.proc is not None and self.proc.poll() is None:
                if check:
                    self.stop()
                else:
                    self.proc.send_signal(signal.SIGTERM)
                    try:
                        self.proc.wait(10)
                    except subprocess.TimeoutExpired:
                        self.proc.kill()
                        self.proc.wait()
            elif check:
                self.check_stderr()
        finally:
            if self.tmp and not os.environ.get("SPUR_KEEP_TMP"):
                shutil.rmtree(self.tmp, ignore_errors=True)

    def import_hunt(self, hunt):
        """Runs `spur import` on a hunt file path or a hunt dict; returns its stdout."""
        if isinstance(hunt, dict):
            path = os.path.join(self.tmp, "hunt.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(hunt, f, ensure_ascii=False, indent=2)
        else:
            path = hunt
        r = subprocess.run([os.path.join(build_dir(), "spur"), "import", path, "--db", self.db],
                           capture_output=True, text=True, env=sanitizer_env(dict(os.environ)),
                           timeout=60)
        if r.returncode != 0:
            raise AssertionError("spur import failed (%d):\n%s%s" %
                                 (r.returncode, r.stdout, r.stderr))
        return r.stdout.strip()

    def full_env(self):
        env = dict(os.environ)
        env["SPUR_ADMIN_TOKEN"] = self.admin_token
        env.update(self.env)
        return sanitizer_env(env)

    def start(self):
        """Starts spurd on self.port and waits until GET /healthz answers."""
        cmd = [os.path.join(build_dir(), "spurd"), "--db", self.db,
               "--listen", "127.0.0.1:%d" % self.port,
               "--assets", os.path.join(REPO, "assets")] + self.args
        with open(self.stderr_path, "ab") as err, open(self.stdout_path, "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=self.full_env(),
                                         cwd=self.tmp)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("spurd exited with %d at start:\n%s" %
                                     (self.proc.returncode, self.stderr()))
            try:
                status, _, _ = self.request("GET", "/healthz", timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError("spurd did not answer /healthz:\n" + self.stderr())
            time.sleep(0.05)

    def stop(self):
        """SIGTERM; asserts exit code 0 and a stderr free of sanitizer reports."""
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("spurd did not stop on SIGTERM:\n" + self.stderr())
        self.proc = None
        self.check_stderr()
        if code != 0:
            raise AssertionError("spurd exited with %d:\n%s" % (code, self.stderr()))

    def restart(self):
        """SIGTERM (exit 0 expected), then start again on the same database and port."""
        self.stop()
        self.start()

    def kill(self):
        """SIGKILL, as a power cut would; start() brings it back."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def signal_hup(self):
        """SIGHUP: spurd reloads the hunts from the database."""
        self.proc.send_signal(signal.SIGHUP)

    def stderr(self):
        try:
            with open(self.stderr_path, "r", encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def check_stderr(self):
        text = self.stderr()
        for mark in SANITIZER_MARKS:
            if mark in text:
                raise AssertionError("sanitizer report in spurd's stderr (%s):\n%s" %
                                     (mark, text[-20000:]))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # -- talking ---------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, token=None, timeout=10,
                raw_body=None):
        """One request on a new connection. body: dict/list (sent as JSON with
        Content-Type: application/json), str or bytes; raw_body: bytes sent as they are,
        with no Content-Type added. Returns (status, headers with lowercase names, body)."""
        hdrs = dict(headers or {})
        data = None
        if raw_body is not None:
            data = bytes(raw_body)
        elif body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode("utf-8")
                hdrs.setdefault("Content-Type", "application/json")
            elif isinstance(body, str):
                data = body.encode("utf-8")
            else:
                data = bytes(body)
        if token:
            hdrs["Authorization"] = "Bearer " + token
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            out = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, out
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None, token=None, timeout=10,
             raw_body=None):
        """Like request; returns (status, parsed JSON body or None)."""
        status, _, out = self.request(method, path, body, headers, token, timeout, raw_body)
        try:
            return status, json.loads(out.decode("utf-8")) if out else None
        except ValueError:
            return status, None

    def connect(self, timeout=5):
        """A raw socket connected to the server."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return s

    def raw(self, data, timeout=5, shut_wr=False):
        """Sends raw bytes on a new socket; returns everything received until the server
        closes or timeout seconds pass. shut_wr=True half-closes after sending, which
        tells the server no more requests come."""
        s = self.connect(timeout)
        out = b""
        try:
            try:
                s.sendall(data)
                if shut_wr:
                    s.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                s.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            s.close()
        return out


def parse_responses(data):
    """Splits raw bytes into [(status, headers lowercase dict, body)], using
    Content-Length (no chunked responses from spurd). A HEAD response has no body:
    pass the list of methods to know which."""
    return _parse(data, None)


def parse_responses_for(data, methods):
    return _parse(data, list(methods))


def _parse(data, methods):
    out = []
    i = 0
    while i < len(data):
        end = data.find(b"\r\n\r\n", i)
        if end < 0:
            raise AssertionError("incomplete response head: %r" % data[i:i + 200])
        head = data[i:end].decode("latin-1").split("\r\n")
        status = int(head[0].split(" ")[1])
        hdrs = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        i = end + 4
        n = int(hdrs.get("content-length", "0"))
        is_head = methods is not None and len(out) < len(methods) and methods[len(out)] == "HEAD"
        if is_head or status in (204, 304) or 100 <= status < 200:
            n = 0
        out.append((status, hdrs, data[i:i + n]))
        i += n
    return out


def quote(path):
    return urllib.parse.quote(path)


class DemoHuntCase(unittest.TestCase):
    """One spurd with demo_hunt() shared by every test of the class."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(hunt_json=demo_hunt()).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__(None, None, None)
