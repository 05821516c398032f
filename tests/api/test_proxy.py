"""The shipped deployment, run for real: deploy/nginx/spur.conf in a real nginx with a
self-signed certificate, in front of a real spurd started with --trust-proxy and an
https base URL. Each simulated phone connects from its own loopback source address
(127.0.0.2, 127.0.0.3, ...), so nginx sees distinct clients exactly as it would on the
internet, and spurd must tell them apart through X-Forwarded-For.

Also: the Caddyfile adapts (when caddy is installed), the systemd units verify (when
systemd-analyze is installed), `make install DESTDIR=...` installs them naming PREFIX's
binaries, and spur-backup.service's own command line writes a backup and keeps 48.

Everything listens on 127.0.0.1 only. Python standard library only."""

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import time
import unittest

from spurlib import ADMIN_TOKEN, BUILD, REPO, Server, demo_hunt, free_port

NGINX = "/usr/sbin/nginx"
DOMAIN = "rallye.test"
HUNT = "/api/hunts/test-hunt"
CODE_FAILS_PER_MINUTE = 3  # a burst of 6 wrong codes per address, then 429
MAX_CONNS_PER_ADDR = 4


def template(text, old, new, count=None, regex=False):
    """text with old replaced by new; fails when the shipped file no longer has old
    (count times, when given), so a change there cannot silently skip a check."""
    if regex:
        out, n = re.subn(old, new, text, flags=re.M)
    else:
        n = text.count(old)
        out = text.replace(old, new)
    if n == 0 or (count is not None and n != count):
        raise AssertionError("a shipped file changed: expected %s %r, found %d; "
                             "update tests/api/test_proxy.py with it" %
                             (count or "some", old, n))
    return out


def nginx_site(tmp, http_port, https_port, spurd_port):
    """deploy/nginx/spur.conf for this test: the domain, the certificate, the ports and
    the webroot replaced; everything else exactly as shipped."""
    with open(os.path.join(REPO, "deploy", "nginx", "spur.conf"), encoding="utf-8") as f:
        text = f.read()
    text = template(text, "/etc/letsencrypt/live/rallye.example.org/fullchain.pem",
                    os.path.join(tmp, "cert.pem"), 1)
    text = template(text, "/etc/letsencrypt/live/rallye.example.org/privkey.pem",
                    os.path.join(tmp, "key.pem"), 1)
    text = template(text, "server_name rallye.example.org;", "server_name %s;" % DOMAIN, 2)
    text = template(text, r"^\s*listen \[::\]:\d+.*\n", "", 2, regex=True)  # no IPv6 here
    text = template(text, "listen 80;", "listen 127.0.0.1:%d;" % http_port, 1)
    text = template(text, "listen 443 ", "listen 127.0.0.1:%d " % https_port, 1)
    text = template(text, "server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % spurd_port, 1)
    text = template(text, "root /var/www/html;", "root %s;" % os.path.join(tmp, "www"), 1)
    return text


def make_certificate(tmp):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-keyout", os.path.join(tmp, "key.pem"), "-out", os.path.join(tmp, "cert.pem"),
                    "-subj", "/CN=" + DOMAIN, "-addext", "subjectAltName=DNS:" + DOMAIN],
                   check=True, capture_output=True, timeout=60)


class Nginx:
    """nginx as the current user with its configuration, temp files, pid and logs in
    tmp, in a process group of its own so that no worker outlives the test."""

    def __init__(self, tmp, site):
        self.tmp = tmp
        self.conf = os.path.join(tmp, "nginx.conf")
        with open(os.path.join(tmp, "spur.conf"), "w", encoding="utf-8") as f:
            f.write(site)
        temps = "".join("    %s_temp_path %s;\n" % (k, os.path.join(tmp, k))
                        for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(self.conf, "w", encoding="utf-8") as f:
            # Debian's nginx.conf around the site, with the paths moved into tmp. As
            # root, workers would otherwise run as nobody, who cannot enter tmp.
            f.write("%sworker_processes 1;\nevents { worker_connections 512; }\nhttp {\n"
                    "    access_log %s;\n%s    gzip on;\n    include %s;\n}\n" %
                    ("user root;\n" if os.geteuid() == 0 else "",
                     os.path.join(tmp, "access.log"), temps, os.path.join(tmp, "spur.conf")))
        self.error_log = os.path.join(tmp, "error.log")
        self.args = [NGINX, "-p", tmp + "/", "-c", self.conf, "-e", self.error_log,
                     "-g", "daemon off; master_process on; pid %s; error_log %s info;" %
                     (os.path.join(tmp, "nginx.pid"), self.error_log)]
        self.proc = None

    def start(self, port):
        check = subprocess.run(self.args + ["-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise AssertionError("nginx -t refuses the configuration:\n" + check.stderr)
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 15
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("nginx exited with %d:\n%s" %
                                     (self.proc.returncode, self.log()))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("nginx did not listen:\n" + self.log())
            time.sleep(0.05)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # fast shutdown: streams are open
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # workers left behind, if any
        except ProcessLookupError:
            pass
        if self.proc.poll() is None:
            self.proc.wait(10)
        self.proc = None

    def log(self):
        try:
            with open(self.error_log, encoding="utf-8", errors="replace") as f:
                return f.read()[-5000:]
        except OSError:
            return ""


class _Connection(http.client.HTTPConnection):
    """HTTP(S) to 127.0.0.1:port from the source address src; TLS verified against
    the test certificate for DOMAIN when ctx is given."""

    def __init__(self, port, src, ctx, timeout):
        super().__init__("127.0.0.1", port, timeout=timeout, source_address=(src, 0))
        self._ctx = ctx

    def connect(self):
        super().connect()
        if self._ctx is not None:
            self.sock = self._ctx.wrap_socket(self.sock, server_hostname=DOMAIN)


class EventStream:
    """GET .../events through the proxy on one TLS connection; decodes the chunked
    body as it comes and splits it into (event, data) pairs."""

    def __init__(self, port, src, ctx, path=HUNT + "/events", token=None, timeout=10):
        self.sock = ctx.wrap_socket(
            socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                     source_address=(src, 0)), server_hostname=DOMAIN)
        req = "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n" % (path, DOMAIN)
        if token:
            req += "Cookie: spur_token=%s\r\n" % token
        self.sock.sendall((req + "\r\n").encode())
        self.raw = b""
        self.body = b""
        self.chunked = False
        self.closed = False
        while b"\r\n\r\n" not in self.raw:
            self._recv()
            if self.closed:
                break
        head, _, self.raw = self.raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split(" ")[1])
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "")
        self._decode()

    def _recv(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return
        if not data:
            self.closed = True
        self.raw += data

    def _decode(self):
        if not self.chunked:
            self.body += self.raw
            self.raw = b""
            return
        while True:
            line_end = self.raw.find(b"\r\n")
            if line_end < 0:
                return
            size = int(self.raw[:line_end].split(b";")[0], 16)
            if len(self.raw) < line_end + 2 + size + 2:
                return
            self.body += self.raw[line_end + 2:line_end + 2 + size]
            self.raw = self.raw[line_end + 4 + size:]
            if size == 0:
                self.closed = True
                return

    def events(self):
        out = []
        for block in self.body.decode("utf-8").split("\n\n")[:-1]:
            event, data = "message", None
            for line in block.split("\n"):
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
            if data is not None:
                out.append((event, json.loads(data)))
        return out

    def wait_for(self, pred, timeout=5.0):
        """The first event (kind, data) for which pred holds, waiting up to timeout s."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events():
                if pred(ev):
                    return ev
            if self.closed or time.monotonic() > deadline:
                raise AssertionError("no such event within %.1f s; got %r" %
                                     (timeout, self.body[-800:]))
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            self._recv()
            self._decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def leaderboard_with(name, score):
    def pred(ev):
        kind, data = ev
        return kind == "leaderboard" and any(
            t.get("name") == name and t.get("score") == score for t in data.get("teams", []))
    return pred


@unittest.skipUnless(os.path.exists(NGINX), "nginx is not installed (%s missing; Debian "
                     "package nginx-light, `make deps` installs it)" % NGINX)
class TestBehindNginx(unittest.TestCase):
    """One spurd behind one nginx running the shipped site; each test speaks from its
    own source addresses, so the per-address limits of one do not touch another."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spur-proxy-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.http_port, cls.https_port = free_port(), free_port()
        make_certificate(cls.tmp)
        os.makedirs(os.path.join(cls.tmp, "www", ".well-known", "acme-challenge"))
        with open(os.path.join(cls.tmp, "www", ".well-known", "acme-challenge", "t0ken"),
                  "w") as f:
            f.write("t0ken.challenge\n")
        cls.base_url = "https://%s:%d" % (DOMAIN, cls.https_port)
        cls.srv = Server(hunt_json=demo_hunt(),
                         env={"SPUR_CODE_FAILS_PER_MINUTE": str(CODE_FAILS_PER_MINUTE),
                              "SPUR_HTTP_MAX_CONNS_PER_ADDR": str(MAX_CONNS_PER_ADDR)},
                         args=("--trust-proxy", "127.0.0.1/32", "--base-url", cls.base_url))
        cls.srv.__enter__()
        cls.addClassCleanup(cls.srv.__exit__, None, None, None)
        cls.nginx = Nginx(cls.tmp, nginx_site(cls.tmp, cls.http_port, cls.https_port,
                                              cls.srv.port))
        cls.addClassCleanup(cls.nginx.stop)  # runs before spurd's: cleanups are LIFO
        cls.nginx.start(cls.https_port)
        cls.ctx = ssl.create_default_context(cafile=os.path.join(cls.tmp, "cert.pem"))

    def tearDown(self):
        self.assertTrue(self.srv.alive(), "spurd died:\n" + self.srv.stderr()[-3000:])
        self.assertIsNone(self.nginx.proc.poll(), "nginx died:\n" + self.nginx.log())

    # -- talking through the proxy ---------------------------------------------

    def request(self, src, method, path, body=None, headers=None, token=None, tls=True,
                raw_body=None):
        """One request to nginx from source address src; (status, headers, body)."""
        hdrs = {"Host": DOMAIN}
        hdrs.update(headers or {})
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if token:
            hdrs["Authorization"] = "Bearer " + token
        conn = _Connection(self.https_port if tls else self.http_port, src,
                           self.ctx if tls else None, timeout=10)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def json(self, src, method, path, body=None, headers=None, token=None):
        status, hdrs, raw = self.request(src, method, path, body, headers, token)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw

    def new_team(self, src, name):
        st, hdrs, raw = self.request(src, "POST", HUNT + "/teams", {"name": name})
        self.assertEqual(st, 201, raw)
        return json.loads(raw)["token"], hdrs

    # -- the tests -------------------------------------------------------------

    def test_tls_team_cookie_is_secure_and_an_answer_counts(self):
        st, hdrs, body = self.request("127.0.0.2", "GET", "/healthz")
        self.assertEqual((st, body), (200, b"ok\n"))
        self.assertIn("max-age=", hdrs.get("strict-transport-security", ""))
        token, hdrs = self.new_team("127.0.0.2", "Füchse")
        cookie = hdrs["set-cookie"]
        self.assertIn("spur_token=" + token, cookie)
        self.assertIn("Secure", [p.strip() for p in cookie.split(";")], cookie)
        self.assertIn("HttpOnly", cookie)
        st, body = self.json("127.0.0.2", "POST", HUNT + "/puzzles/stufen/answer",
                             {"answer": "42"}, token=token)
        self.assertEqual((st, body), (200, {"correct": True, "points": 8, "score": 8}))
        st, me = self.json("127.0.0.2", "GET", HUNT + "/me", token=token)
        self.assertEqual((st, me["score"]), (200, 8))

    def test_plain_http_redirects_to_https_but_serves_acme_challenges(self):
        st, hdrs, _ = self.request("127.0.0.2", "GET", HUNT + "?x=1", tls=False)
        self.assertEqual((st, hdrs.get("location")), (301, "https://%s%s?x=1" % (DOMAIN, HUNT)))
        st, _, body = self.request("127.0.0.2", "GET", "/.well-known/acme-challenge/t0ken",
                                   tls=False)
        self.assertEqual((st, body), (200, b"t0ken.challenge\n"))

    def test_metrics_stay_private_and_a_camera_frame_passes_the_body_limit(self):
        st, _, _ = self.request("127.0.0.3", "GET", "/metrics")
        self.assertEqual(st, 403)
        token, _ = self.new_team("127.0.0.3", "Kamera")
        frame = b"\xff\xd8\xff\xe0" + b"\0" * (250 * 1024)  # not a JPEG, but within 256 KiB
        st, hdrs, raw = self.request("127.0.0.3", "POST", HUNT + "/decode", token=token,
                                     headers={"Content-Type": "image/jpeg"}, raw_body=frame)
        self.assertEqual(hdrs.get("content-type"), "application/json", raw[:300])
        self.assertEqual((st, json.loads(raw)["error"]), (400, "bad_image"))

    def test_a_photo_of_eight_mib_passes_the_proxy_and_a_bigger_one_gets_spurds_413(self):
        token, _ = self.new_team("127.0.0.3", "Fotografen")
        big = b"\xff\xd8\xff\xe0" + b"\0" * (8 * 1024 * 1024 - 8)  # not a JPEG, within 8 MiB
        st, hdrs, raw = self.request("127.0.0.3", "POST", HUNT + "/puzzles/stufen/photo",
                                     token=token, headers={"Content-Type": "image/jpeg"},
                                     raw_body=big)
        self.assertEqual(hdrs.get("content-type"), "application/json", raw[:300])
        self.assertEqual((st, json.loads(raw)["error"]), (409, "not_photo"))  # spurd judged it
        st, hdrs, raw = self.request("127.0.0.3", "POST", HUNT + "/puzzles/stufen/photo",
                                     token=token, headers={"Content-Type": "image/jpeg"},
                                     raw_body=big + b"\0" * (512 * 1024))
        self.assertEqual((st, hdrs.get("content-type")), (413, "application/json"))

    def test_event_stream_delivers_another_teams_answer_at_once(self):
        stream = EventStream(self.https_port, "127.0.0.4", self.ctx)
        try:
            self.assertEqual(stream.status, 200)
            self.assertIn("text/event-stream", stream.headers.get("content-type", ""))
            stream.wait_for(lambda ev: ev[0] == "leaderboard")
            token, _ = self.new_team("127.0.0.5", "Eulen")
            st, body = self.json("127.0.0.5", "POST", HUNT + "/puzzles/stufen/answer",
                                 {"answer": "42"}, token=token)
            self.assertEqual((st, body["correct"]), (200, True))
            t0 = time.monotonic()
            stream.wait_for(leaderboard_with("Eulen", 8), timeout=5)
            self.assertLess(time.monotonic() - t0, 3.0, "the proxy held the event back")
        finally:
            stream.close()

    def test_wrong_codes_are_limited_per_phone_and_forged_forwarding_changes_nothing(self):
        guesser, other = "127.0.0.6", "127.0.0.7"
        join = HUNT + "/join"
        for i in range(2 * CODE_FAILS_PER_MINUTE):  # the burst
            st, body = self.json(guesser, "POST", join, {"join_code": "AAAA-AAA%d" % (i % 6 + 2)})
            self.assertEqual((st, body["error"]), (404, "unknown_join_code"), i)
        st, hdrs, raw = self.request(guesser, "POST", join, {"join_code": "AAAA-AAAA"})
        self.assertEqual((st, json.loads(raw)["error"]), (429, "rate_limited"), raw)
        self.assertGreaterEqual(int(hdrs["retry-after"]), 1)
        # another phone is still served
        st, body = self.json(other, "POST", join, {"join_code": "AAAA-AAAA"})
        self.assertEqual((st, body["error"]), (404, "unknown_join_code"))
        # the guesser cannot pass for someone else: nginx appends the address it saw
        # and spurd takes the rightmost one that is not the proxy
        for forged in ({"X-Forwarded-For": "198.51.100.7"},
                       {"X-Forwarded-For": "127.0.0.1"},
                       {"X-Forwarded-For": "198.51.100.7, 127.0.0.1"},
                       {"Forwarded": "for=198.51.100.7"}):
            st, body = self.json(guesser, "POST", join, {"join_code": "AAAA-AAAA"},
                                 headers=forged)
            self.assertEqual(st, 429, forged)
        # nor can another phone be made to pay for the guesser
        st, body = self.json(other, "POST", join, {"join_code": "AAAA-AAAA"},
                             headers={"X-Forwarded-For": guesser})
        self.assertEqual((st, body["error"]), (404, "unknown_join_code"))
        # staff at the limited address are still served with their token
        st, stats = self.json(guesser, "GET", "/api/admin/hunts/test-hunt/stats",
                              token=ADMIN_TOKEN)
        self.assertEqual(st, 200, stats)
        self.assertIn("teams", stats)
        st, _ = self.json(guesser, "POST", join, {"join_code": "AAAA-AAAA"})
        self.assertEqual(st, 429)  # and that let no guesses through

    def test_more_event_streams_than_the_per_address_cap_stay_open_through_the_proxy(self):
        n = 2 * MAX_CONNS_PER_ADDR + 1
        streams = []
        try:
            for i in range(n):  # one school behind one address, and more
                streams.append(EventStream(self.https_port, "127.0.0.8", self.ctx,
                                           path=HUNT + "/events?limit=5"))
            for s in streams:
                self.assertEqual(s.status, 200)
                s.wait_for(lambda ev: ev[0] == "leaderboard")
            token, _ = self.new_team("127.0.0.9", "Dachse")
            st, _ = self.json("127.0.0.9", "POST", HUNT + "/puzzles/farbe/answer",
                              {"answer": "gruen"}, token=token)
            self.assertEqual(st, 200)
            for s in streams:  # every one of them is still open and hears of it
                s.wait_for(leaderboard_with("Dachse", 4), timeout=5)
        finally:
            for s in streams:
                s.close()
        # the cap holds for anyone else: straight to spurd, not through the proxy
        direct = []
        try:
            for i in range(MAX_CONNS_PER_ADDR + 1):
                s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5,
                                             source_address=("127.0.0.10", 0))
                direct.append(s)
                s.sendall(("GET %s/events HTTP/1.1\r\nHost: x\r\n\r\n" % HUNT).encode())
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                want = b"HTTP/1.1 200" if i < MAX_CONNS_PER_ADDR else b"HTTP/1.1 503"
                self.assertTrue(head.startswith(want), (i, head[:200]))
        finally:
            for s in direct:
                s.close()


class TestCaddyfile(unittest.TestCase):
    @unittest.skipUnless(shutil.which("caddy"), "caddy is not installed")
    def test_caddyfile_adapts_with_streaming_and_a_body_limit(self):
        r = subprocess.run(["caddy", "adapt", "--config", os.path.join(REPO, "deploy", "Caddyfile"),
                            "--adapter", "caddyfile"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("not formatted", r.stderr)  # caddy fmt leaves it as it is
        config = json.loads(r.stdout)
        handlers = []

        def walk(x):
            if isinstance(x, dict):
                if "handler" in x:
                    handlers.append(x)
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(config)
        proxies = [h for h in handlers if h["handler"] == "reverse_proxy"]
        self.assertEqual(len(proxies), 1, proxies)
        self.assertEqual(proxies[0]["upstreams"], [{"dial": "127.0.0.1:8080"}])
        self.assertEqual(proxies[0].get("flush_interval"), -1)
        bodies = sorted(h["max_size"] for h in handlers if h["handler"] == "request_body")
        self.assertEqual(len(bodies), 2)  # photos, and everything else
        self.assertGreaterEqual(bodies[0], 256 * 1024)
        self.assertGreaterEqual(bodies[1], 8 * 1024 * 1024)


def systemd_exec(unit_text, env=None, key="ExecStart"):
    """The argv systemd would run for key=, by the few rules the units use: lines
    joined at a trailing backslash, %% for %, $$ for $, shell-like quoting, and with
    env given, ${NAME} replaced inside a word and a word $NAME by the value split at
    whitespace (no word at all when it is empty or unset)."""
    text = re.sub(r"\\\n", " ", unit_text)
    value = re.search(r"^%s=(.*)$" % key, text, re.M).group(1)
    assert not re.search(r"%[^%]", value.replace("%%", "")), "a specifier in " + value
    if env is None:
        assert "$" not in value.replace("$$", ""), "an environment variable in " + value
    argv = []
    for word in shlex.split(value.replace("%%", "%").replace("$$", "\0")):
        m = re.fullmatch(r"\$(\w+)", word)
        if env is not None and m:
            argv += env.get(m.group(1), "").split()
            continue
        if env is not None:
            word = re.sub(r"\$\{(\w+)\}", lambda v: env.get(v.group(1), ""), word)
        argv.append(word.replace("\0", "$"))
    return argv


def systemd_environment(unit_text, env_file_text):
    """What Environment= and then an EnvironmentFile= (which wins) set."""
    env = {}
    for m in re.finditer(r"^Environment=(\w+)=(.*)$", unit_text, re.M):
        env[m.group(1)] = m.group(2)
    for line in env_file_text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            k, _, v = line.partition("=")
            env[k] = v
    return env


class TestInstalledUnits(unittest.TestCase):
    """`make install` into a DESTDIR, as a packager or an operator without root would."""

    PREFIX = "/opt/spur-test"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spur-install-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.dest = os.path.join(cls.tmp, "dest")
        # -o all: install what the tests were built with, never rebuild here
        r = subprocess.run(["make", "--no-print-directory", "-o", "all", "install",
                            "DESTDIR=" + cls.dest, "PREFIX=" + cls.PREFIX, "BUILD=" + BUILD],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError("make install failed:\n" + r.stdout + r.stderr)
        cls.root = cls.dest + cls.PREFIX
        cls.units = os.path.join(cls.root, "lib", "systemd", "system")

    def unit(self, name):
        with open(os.path.join(self.units, name), encoding="utf-8") as f:
            return f.read()

    def test_install_puts_everything_under_prefix_and_uninstall_removes_it(self):
        for rel in ("bin/spurd", "bin/spur", "share/man/man8/spurd.8",
                    "lib/systemd/system/spurd.service", "lib/systemd/system/spur-backup.service",
                    "lib/systemd/system/spur-backup.timer", "lib/sysusers.d/spur.conf",
                    "share/spur/deploy/nginx/spur.conf", "share/spur/deploy/Caddyfile",
                    "share/spur/deploy/spurd.env", "share/spur/assets/index.html"):
            self.assertTrue(os.path.isfile(os.path.join(self.root, rel)), rel)
        self.assertEqual(systemd_exec(self.unit("spurd.service"), env={})[0],
                         self.PREFIX + "/bin/spurd")
        self.assertIn(self.PREFIX + "/bin/spur backup",
                      " ".join(systemd_exec(self.unit("spur-backup.service"))))
        for name in os.listdir(self.units):
            self.assertNotIn("/usr/local/", self.unit(name), name)
        dest = os.path.join(self.tmp, "again")
        for target in ("install", "uninstall"):
            r = subprocess.run(["make", "--no-print-directory", "-o", "all", target,
                                "DESTDIR=" + dest, "PREFIX=" + self.PREFIX, "BUILD=" + BUILD],
                               cwd=REPO, capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        left = [os.path.join(d, f) for d, _, files in os.walk(dest) for f in files]
        self.assertEqual(left, [])

    def start_as_the_unit_would(self, env_file_text, db):
        """spurd from spurd.service's own command line, with its Environment= and the
        given EnvironmentFile text, in a throwaway state directory."""
        unit = self.unit("spurd.service")
        env = systemd_environment(unit, env_file_text)
        argv = systemd_exec(unit, env=env)
        argv = [template(a, "/var/lib/spur/spur.db", db) if "/var/lib/spur/" in a else
                a.replace(self.PREFIX + "/", self.root + "/") for a in argv]
        self.assertIn("WorkingDirectory=/var/lib/spur\n", unit)
        env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
        return subprocess.Popen(argv, env=env, cwd=os.path.dirname(db), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def test_spurd_runs_from_the_units_command_line_with_the_example_env_file(self):
        with open(os.path.join(self.root, "share", "spur", "deploy", "spurd.env"),
                  encoding="utf-8") as f:
            example = f.read()
        port = free_port()
        state = os.path.join(self.tmp, "state")
        os.makedirs(state)
        db = os.path.join(state, "spur.db")
        hunt = os.path.join(self.tmp, "hunt.json")
        with open(hunt, "w", encoding="utf-8") as f:
            json.dump(demo_hunt(), f)
        subprocess.run([os.path.join(self.root, "bin", "spur"), "import", hunt, "--db", db],
                       check=True, capture_output=True, timeout=60)
        # as an operator edits it: a token, and here a free port instead of 8080
        text = template(example, "SPUR_ADMIN_TOKEN=\n", "SPUR_ADMIN_TOKEN=%s\n" % ADMIN_TOKEN, 1)
        text += "SPUR_LISTEN=127.0.0.1:%d\n" % port
        proc = self.start_as_the_unit_would(text, db)
        try:
            deadline = time.monotonic() + 20
            while True:
                self.assertIsNone(proc.poll(), proc.stderr.read() if proc.poll() else "")
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("POST", HUNT + "/teams", body=json.dumps({"name": "Dienst"}),
                                 headers={"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    resp.read()
                    break
                except OSError:
                    self.assertLess(time.monotonic(), deadline, "spurd did not answer")
                    time.sleep(0.05)
            self.assertEqual(resp.status, 201)
            self.assertIn("Secure", resp.getheader("set-cookie"))  # SPUR_BASE_URL is https
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")  # the installed web app
            resp = conn.getresponse()
            self.assertEqual((resp.status, b"<" in resp.read()), (200, True))
            conn.request("GET", "/api/admin/hunts/test-hunt/stats",
                         headers={"Authorization": "Bearer " + ADMIN_TOKEN})
            resp = conn.getresponse()
            self.assertEqual((resp.status, json.loads(resp.read())["teams"]), (200, 1))
            conn.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                out, err = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("trusting X-Forwarded-For from 2 proxy range(s)", err)
        # without a base URL the unit does not start half-configured
        proc = self.start_as_the_unit_would(
            template(text, "SPUR_BASE_URL=https://rallye.example.org\n", "", 1), db)
        out, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 2, err)
        self.assertIn("--base-url", err)

    @unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is not installed")
    def test_units_verify_and_are_sandboxed(self):
        # verify wants the binaries where the units say: point them into DESTDIR
        here = os.path.join(self.tmp, "verify")
        os.makedirs(here, exist_ok=True)
        names = ("spurd.service", "spur-backup.service", "spur-backup.timer")
        for name in names:
            with open(os.path.join(here, name), "w", encoding="utf-8") as f:
                f.write(self.unit(name).replace(self.PREFIX + "/", self.root + "/"))
        r = subprocess.run(["systemd-analyze", "verify", "--man=no"] + list(names), cwd=here,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stderr.strip()), (0, ""), r.stdout)
        for name in names[:2]:  # exposure 0-10, as `systemd-analyze security` shows it
            r = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--threshold=20",
                                "./" + name], cwd=here, capture_output=True, text=True,
                               timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout[-1500:] + r.stderr)

    def test_backup_units_command_writes_a_checked_copy_and_keeps_48(self):
        argv = systemd_exec(self.unit("spur-backup.service"))
        self.assertEqual(argv[:2], ["/bin/sh", "-c"])
        self.assertIn("WorkingDirectory=/var/lib/spur/backups\n", self.unit("spur-backup.service"))
        backups = os.path.join(self.tmp, "backups")
        os.makedirs(backups)
        old = ["spur-202001%02d-%02d0000.db" % (1 + i // 24, i % 24) for i in range(50)]
        for name in old + ["notes.txt", "spur-latest.db"]:
            with open(os.path.join(backups, name), "w") as f:
                f.write("old\n")
        for name in old[:4]:  # the photos beside a backup go with it
            os.makedirs(os.path.join(backups, name + "-photos", "test-hunt"))
        with Server(hunt_json=demo_hunt()) as srv:  # backed up while spurd serves it
            st, _ = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "Gesichert"})
            self.assertEqual(st, 201)
            os.makedirs(srv.db + "-photos/test-hunt")
            with open(srv.db + "-photos/test-hunt/" + "a" * 32 + ".jpg", "wb") as f:
                f.write(b"\xff\xd8 ein Foto")
            script = template(argv[2], "/var/lib/spur/spur.db", srv.db, 1)
            script = template(script, self.PREFIX + "/bin/", self.root + "/bin/", 1)
            r = subprocess.run(["/bin/sh", "-c", script], cwd=backups, capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            # the photos: hard links where the backups share the database's file system
            newest = sorted(n for n in os.listdir(backups) if n.endswith(".db-photos"))[-1]
            photo = os.stat(os.path.join(backups, newest, "test-hunt", "a" * 32 + ".jpg"))
            self.assertEqual(photo.st_nlink, 2, r.stdout + r.stderr)
        names = sorted(os.listdir(backups))
        kept = [n for n in names if re.fullmatch(r"spur-\d{8}-\d{6}\.db", n)]
        self.assertEqual(len(kept), 48, names)
        self.assertEqual(kept[:1], [old[3]])  # the three oldest went
        self.assertIn("notes.txt", names)      # nothing else is touched
        self.assertIn("spur-latest.db", names)
        self.assertEqual([n for n in names if n.endswith("-photos")][:1], [old[3] + "-photos"])
        newest = os.path.join(backups, kept[-1])
        self.assertNotIn(kept[-1], old)
        db = sqlite3.connect("file:%s?mode=ro" % newest, uri=True)
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(db.execute("SELECT count(*) FROM teams").fetchone()[0], 1)
        finally:
            db.close()


if __name__ == "__main__":
    unittest.main()
