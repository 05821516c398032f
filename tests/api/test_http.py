"""The HTTP layer over real sockets against a real spurd: framing, the leniencies of
llhttp 8.1 that spurd must refuse itself, limits, pipelining, keep-alive, HEAD,
HTTP/1.0, path handling and static files. After every test the server must still
answer GET /healthz, and at the end its stderr must hold no sanitizer report."""

import http.client
import json
import os
import re
import shutil
import socket
import tempfile
import time
import unittest

import spurlib  # noqa: E402
from spurlib import DemoHuntCase, Server, demo_hunt, parse_responses, parse_responses_for

BIG = 300 * 1024  # bytes of the big asset used for backpressure


def make_assets(root):
    """A web-app folder with one file of each type, hidden files and symlinks."""
    assets = os.path.join(root, "assets")
    os.makedirs(os.path.join(assets, "sub"))
    os.makedirs(os.path.join(assets, "staff"))
    os.makedirs(os.path.join(assets, ".git"))
    files = {
        "index.html": "<!doctype html><title>spur</title>",
        "app.js": "console.log('app');\n",
        "app.mjs": "export const x = 1;\n",
        "app.css": "body{color:red}\n",
        "manifest.webmanifest": '{"name":"spur"}',
        "sw.js": "self.addEventListener('fetch', () => {});\n",
        "data.json": '{"a":1}',
        "icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "robots.txt": "User-agent: *\n",
        "app.js.map": "{}",
        "sub/page.html": "<p>sub</p>",
        "staff/index.html": "<!doctype html><title>staff</title>",
        ".hidden": "HIDDEN-SECRET",
        ".git/config": "GIT-SECRET",
    }
    for name, text in files.items():
        with open(os.path.join(assets, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(assets, "icon.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    with open(os.path.join(assets, "font.woff2"), "wb") as f:
        f.write(b"wOF2" + b"\0" * 16)
    with open(os.path.join(assets, "favicon.ico"), "wb") as f:
        f.write(b"\0\0\1\0")
    with open(os.path.join(assets, "big.js"), "wb") as f:
        f.write(b"/" * BIG)
    with open(os.path.join(root, "secret.txt"), "w") as f:
        f.write("OUTSIDE-SECRET")
    os.symlink(os.path.join(root, "secret.txt"), os.path.join(assets, "secret.txt"))
    os.symlink(os.path.join(assets, "app.js"), os.path.join(assets, "link.js"))
    os.symlink(root, os.path.join(assets, "up"))
    return assets


def status_of(data):
    """The status code of the first response in data, or None."""
    if not data.startswith(b"HTTP/1.1 "):
        return None
    return int(data[9:12])


def read_to_end(s):
    """Everything the server sends until it closes the connection."""
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


class HttpCase(unittest.TestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spur-assets-")
        cls.assets = make_assets(cls.tmp)
        cls.srv = Server(env=cls.env, args=("--assets", cls.assets))
        cls.srv.__enter__()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.srv.__exit__(None, None, None)
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def tearDown(self):
        # whatever a test sent, the server still answers
        self.assertTrue(self.srv.alive(), "spurd died:\n" + self.srv.stderr()[-5000:])
        status, _, body = self.srv.request("GET", "/healthz")
        self.assertEqual((status, body), (200, b"ok\n"))

    def wait_until_answering(self):
        """After many closes: the server counts them out as it reads them."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                if self.srv.request("GET", "/healthz", timeout=1)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)

    def refused(self, data, status=400, shut_wr=False):
        """Sends data; expects exactly one `status` error with a JSON body, then close."""
        t0 = time.monotonic()
        out = self.srv.raw(data, timeout=5, shut_wr=shut_wr)
        self.assertLess(time.monotonic() - t0, 4.5, "the server did not close: %r" % out[:300])
        resps = parse_responses(out)
        self.assertEqual(len(resps), 1, out[:500])
        st, hdrs, body = resps[0]
        self.assertEqual(st, status, out[:500])
        self.assertEqual(hdrs.get("connection"), "close")
        self.assertEqual(hdrs.get("content-type"), "application/json")
        err = json.loads(body)
        self.assertIsInstance(err.get("error"), str)
        # the HTTP layer knows no hunt yet: German first, then English, in one message
        de, sep, en = err.get("message", "").partition(" / ")
        self.assertTrue(sep and de and en, err)
        return err


class TestFraming(HttpCase):
    def test_healthz_has_standard_headers(self):
        status, hdrs, body = self.srv.request("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"ok\n")
        self.assertEqual(hdrs["content-length"], "3")
        self.assertEqual(hdrs["x-content-type-options"], "nosniff")
        self.assertEqual(hdrs["referrer-policy"], "strict-origin-when-cross-origin")
        self.assertTrue(hdrs["date"].endswith(" GMT"))
        self.assertEqual(hdrs["connection"], "keep-alive")

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        s = self.srv.connect()
        try:
            for _ in range(3):
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while not data.endswith(b"ok\n"):
                    chunk = s.recv(4096)
                    self.assertTrue(chunk, "closed early")
                    data += chunk
                self.assertEqual(status_of(data), 200)
        finally:
            s.close()

    def test_pipelined_requests_are_answered_in_order(self):
        paths = ["/healthz", "/app.js", "/nope", "/app.css", "/index.html", "/healthz",
                 "/data.json", "/nope2"] * 3
        req = b"".join(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % p.encode() for p in paths)
        out = self.srv.raw(req, shut_wr=True)
        resps = parse_responses(out)
        self.assertEqual(len(resps), len(paths))
        for p, (st, hdrs, body) in zip(paths, resps):
            if p.startswith("/nope"):
                self.assertEqual(st, 404, p)
            else:
                self.assertEqual(st, 200, p)
                if p == "/healthz":
                    self.assertEqual(body, b"ok\n")
                else:
                    with open(os.path.join(self.assets, p.lstrip("/")), "rb") as f:
                        self.assertEqual(body, f.read(), p)

    def test_pipelining_beyond_the_parse_ahead_limit_still_answers_all_in_order(self):
        n = 100
        req = b"".join(b"GET /%s HTTP/1.1\r\nHost: t\r\n\r\n" % (b"app.js" if i % 2 else b"healthz")
                       for i in range(n))
        resps = parse_responses(self.srv.raw(req, shut_wr=True))
        self.assertEqual(len(resps), n)
        for i, (st, _, body) in enumerate(resps):
            self.assertEqual(st, 200)
            self.assertEqual(body, b"console.log('app');\n" if i % 2 else b"ok\n")

    def test_backpressure_slow_reader_gets_every_response(self):
        n = 12  # 12 x 300 KiB is far above the 1 MiB queue limit
        s = self.srv.connect(timeout=20)
        try:
            s.sendall(b"GET /big.js HTTP/1.1\r\nHost: t\r\n\r\n" * n +
                      b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            time.sleep(1.0)  # read nothing: the server must stop and wait, not buffer
            data = b""
            while True:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        resps = parse_responses(data)
        self.assertEqual(len(resps), n + 1)
        for st, _, body in resps[:n]:
            self.assertEqual((st, len(body)), (200, BIG))
        self.assertEqual(resps[-1][2], b"ok\n")

    def test_head_keeps_content_length_and_sends_no_body(self):
        out = self.srv.raw(b"HEAD /app.js HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n",
                           shut_wr=True)
        resps = parse_responses_for(out, ["HEAD", "GET"])
        self.assertEqual(len(resps), 2)
        self.assertEqual(resps[0][0], 200)
        self.assertEqual(resps[0][1]["content-length"], str(len("console.log('app');\n")))
        self.assertEqual(resps[0][2], b"")
        self.assertEqual(resps[1][2], b"ok\n")

    def test_http10_closes_unless_keep_alive_is_asked(self):
        t0 = time.monotonic()
        out = self.srv.raw(b"GET /healthz HTTP/1.0\r\n\r\n", timeout=5)
        self.assertLess(time.monotonic() - t0, 3)
        resps = parse_responses(out)
        self.assertEqual(len(resps), 1)
        self.assertEqual(resps[0][1]["connection"], "close")

        out = self.srv.raw(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                           b"GET /healthz HTTP/1.0\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n")
        resps = parse_responses(out)
        self.assertEqual(len(resps), 2)  # the third comes after a close
        self.assertEqual(resps[0][1]["connection"], "keep-alive")
        self.assertEqual(resps[1][1]["connection"], "close")

    def test_connection_close_is_honoured(self):
        out = self.srv.raw(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                           b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        resps = parse_responses(out)
        self.assertEqual(len(resps), 1)
        self.assertEqual(resps[0][1]["connection"], "close")

    def test_empty_lines_before_a_request_are_skipped(self):
        out = self.srv.raw(b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", shut_wr=True)
        self.assertEqual(status_of(out), 200)

    def test_requests_per_connection_are_capped_then_closed(self):
        n = 1005
        out = self.srv.raw(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" * n, timeout=10, shut_wr=True)
        resps = parse_responses(out)
        self.assertEqual(len(resps), 1000)
        self.assertEqual(resps[-1][1]["connection"], "close")
        self.assertEqual(resps[-2][1]["connection"], "keep-alive")

    def test_chunked_request_body_is_accepted(self):
        body = b'{"name":"Team"}'
        out = self.srv.raw(b"POST /api/hunts/nope/teams HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Type: application/json\r\nTransfer-Encoding: Chunked\r\n\r\n"
                           b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) +
                           b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", shut_wr=True)
        resps = parse_responses(out)
        self.assertEqual(len(resps), 2, out)
        self.assertNotIn(resps[0][0], (400, 408, 413, 431))
        self.assertEqual(resps[1][2], b"ok\n")

    def test_expect_100_continue_gets_an_interim_response(self):
        s = self.srv.connect()
        try:
            s.sendall(b"POST /api/hunts/nope/teams HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 2\r\nExpect: 100-continue\r\n\r\n")
            s.settimeout(2)
            self.assertEqual(s.recv(4096), b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(b"{}")
            self.assertNotIn(status_of(s.recv(4096)), (None, 400, 408, 413))
        finally:
            s.close()

    def test_expect_with_a_too_large_body_is_413_at_once(self):
        self.refused(b"POST /api/hunts/nope/teams HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 99999\r\nExpect: 100-continue\r\n\r\n", 413)

    def test_upgrade_is_answered_then_closed(self):
        out = self.srv.raw(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                           b"\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        resps = parse_responses(out)
        self.assertEqual(len(resps), 1)
        self.assertEqual(resps[0][0], 200)
        self.assertEqual(resps[0][1]["connection"], "close")

    def test_client_gone_mid_pipeline_is_harmless(self):
        for _ in range(20):
            s = self.srv.connect()
            s.sendall(b"GET /big.js HTTP/1.1\r\nHost: t\r\n\r\n" * 10 + b"GET /heal")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            s.close()  # RST with responses still queued

    def test_many_connections_opened_and_dropped(self):
        socks = []
        for i in range(100):
            s = self.srv.connect()
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: " + b"a" * i)
            socks.append(s)
        for s in socks:
            s.close()


class TestRefusals(HttpCase):
    def test_other_http_versions_are_refused(self):
        for line in (b"GET / HTTP/2.0", b"GET / HTTP/0.9", b"GET / HTTP/1.2", b"GET / HTTP/3.0",
                     b"GET / HTTP/1.10"):
            with self.subTest(line=line):
                st = status_of(self.srv.raw(line + b"\r\nHost: x\r\n\r\n"))
                self.assertEqual(st, 400)

    def test_http09_request_line_is_refused(self):
        self.assertEqual(status_of(self.srv.raw(b"GET /\r\n\r\n")), 400)

    def test_http11_needs_exactly_one_host(self):
        self.refused(b"GET /healthz HTTP/1.1\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        out = self.srv.raw(b"GET /healthz HTTP/1.0\r\n\r\n", shut_wr=True)
        self.assertTrue(out.startswith(b"HTTP/1.1 200"), out)

    def test_http2_preface_is_refused(self):
        self.assertEqual(status_of(self.srv.raw(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")), 400)

    def test_obs_fold_is_refused(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: one\r\n two\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: one\r\n\ttwo\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\n Host: x\r\n\r\n")

    def test_bare_cr_in_header_is_refused(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: one\rtwo\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: one\r\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\rX\r\n\r\n")

    def test_bare_cr_split_across_reads_is_refused(self):
        s = self.srv.connect()
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: one\r")
            time.sleep(0.2)
            s.sendall(b"two\r\n\r\n")
            data = s.recv(4096)
        finally:
            s.close()
        self.assertEqual(status_of(data), 400)

    def test_empty_header_name_is_refused(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\n: value\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\n:\r\n\r\n")

    def test_bad_header_name_is_refused(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX A: v\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A v\r\n\r\n")

    def test_transfer_encoding_other_than_chunked_is_refused(self):
        for te in (b"gzip", b"", b"chunked, gzip", b"gzip, chunked", b"identity", b"chunked;x",
                   b"xchunked"):
            with self.subTest(te=te):
                self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + te +
                             b"\r\n\r\n0\r\n\r\n")

    def test_two_transfer_encodings_are_refused(self):
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")

    def test_transfer_encoding_with_content_length_is_refused(self):
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Length: 5\r\n\r\n0\r\n\r\n")
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")

    def test_trailer_fields_are_refused(self):
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n"
                     b"Authorization: Bearer forged\r\n\r\n")

    def test_bad_chunk_framing_is_refused(self):
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"zz\r\n{}\r\n0\r\n\r\n")
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"2\r\n{}XX0\r\n\r\n")

    def test_bad_content_length_is_refused(self):
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n")
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n")
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                     b"Content-Length: 3\r\n\r\n{}")

    def test_request_line_with_extra_spaces_or_controls_is_refused(self):
        self.refused(b" GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        self.refused(b"GET / HTTP/1.1 \r\n\r\n")
        self.refused(b"GET /\t HTTP/1.1\r\nHost: t\r\n\r\n")
        self.refused(b"GET /a b HTTP/1.1\r\nHost: t\r\n\r\n")
        self.refused(b"GET /\x01 HTTP/1.1\r\nHost: t\r\n\r\n")

    def test_control_characters_in_header_values_are_refused(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\x00b\r\n\r\n")
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\x1bb\r\n\r\n")

    def test_chunk_data_must_end_in_crlf(self):
        # llhttp 8.1 skips any two bytes there: a request-smuggling gap
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"2\r\n{}XX0\r\n\r\n")

    def test_garbage_and_bad_methods_are_refused(self):
        self.refused(b"\x00\x01\x02\x03garbage\r\n\r\n")
        self.refused(b"G@T / HTTP/1.1\r\nHost: t\r\n\r\n")
        self.refused(b"GET  / HTTP/1.1\r\nHost: t\r\n\r\n")
        self.refused(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n")

    def test_target_must_be_an_origin_path(self):
        self.refused(b"OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n")
        self.refused(b"GET http://example.com/healthz HTTP/1.1\r\nHost: t\r\n\r\n")

    def test_bad_percent_encoding_is_refused(self):
        for target in (b"/healthz%00", b"/a%zz", b"/a%2", b"/a%", b"/%0", b"/%G0"):
            with self.subTest(target=target):
                self.refused(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n\r\n")

    def test_error_after_good_requests_comes_after_their_answers(self):
        out = self.srv.raw(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /app.js HTTP/1.1\r\nHost: t\r\n\r\n"
                           b"GET / HTTP/2.0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        resps = parse_responses(out)
        self.assertEqual([r[0] for r in resps], [200, 200, 400])
        self.assertEqual(resps[2][1]["connection"], "close")


class TestLimits(HttpCase):
    def test_long_request_line_is_414(self):
        err = self.refused(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414)
        self.assertEqual(err["error"], "uri_too_long")

    def test_long_request_line_in_pieces_is_414(self):
        s = self.srv.connect()
        try:
            s.sendall(b"GET /")
            for _ in range(10):
                s.sendall(b"b" * 1000)
                time.sleep(0.01)
            data = s.recv(4096)
        except ConnectionResetError:
            data = b""
        finally:
            s.close()
        self.assertEqual(status_of(data), 414)

    def test_large_header_is_431(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431)

    def test_too_many_headers_is_431(self):
        hdrs = b"".join(b"X-H%d: v\r\n" % i for i in range(70))
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + hdrs + b"\r\n", 431)

    def test_just_under_header_limits_is_fine(self):
        hdrs = b"".join(b"X-H%d: v\r\n" % i for i in range(60))
        out = self.srv.raw(b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + hdrs + b"X-Big: " + b"a" * 8000 +
                           b"\r\n\r\n", shut_wr=True)
        self.assertEqual(status_of(out), 200)

    def test_body_over_the_limit_by_content_length_is_413_before_it_is_sent(self):
        # only the headers are sent: the answer must not wait for the body
        err = self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
                           b"\r\nContent-Length: 100000000\r\n\r\n", 413)
        self.assertEqual(err["error"], "too_large")

    def test_body_over_the_limit_chunked_is_413(self):
        chunk = b"a" * 1000
        body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(10)) + b"0\r\n\r\n"
        self.refused(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" + body, 413)

    def test_huge_body_sent_anyway_still_gets_its_413(self):
        s = self.srv.connect(timeout=10)
        try:
            s.sendall(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Length: 3000000\r\n\r\n")
            try:
                s.sendall(b"x" * 3000000)
            except (BrokenPipeError, ConnectionResetError):
                pass
            data = s.recv(4096)
        finally:
            s.close()
        self.assertEqual(status_of(data), 413)

    def test_body_on_a_route_that_takes_none_is_413(self):
        self.refused(b"GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789", 413)


class TestConnectionLimits(HttpCase):
    env = {"SPUR_HTTP_MAX_CONNS_PER_ADDR": "256"}  # the default, 1024, takes long to fill

    def test_connections_per_address_are_capped(self):
        socks = []
        try:
            # One at a time, each answered before the next connects. A closed connection
            # is counted until libuv's close callback, late in the loop turn that read
            # its EOF; a burst of connects accepted in that same turn (a busy CI machine
            # that did not run spurd in between) still sees the start-up probe counted
            # and rightly refuses the 256th. Once a connection is answered, every
            # earlier close has been counted out.
            for _ in range(256):  # the cap per address
                s = self.srv.connect()
                socks.append(s)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                self.assertEqual(status_of(s.recv(4096)), 200, "connection %d" % len(socks))
            assert_full(self, self.srv.connect)
        finally:
            for s in socks:
                s.close()
            self.wait_until_answering()


def assert_full(tc, connect):
    """Past the cap: operators still reach /healthz and /metrics on a reserve
    connection, everyone else gets 503 and Connection: close; past the reserve
    (32 connections) a connection is closed unanswered."""
    extra = connect()
    extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    data = recv_all(extra)
    tc.assertEqual(status_of(data), 200)
    tc.assertIn(b"Connection: close", data)
    extra = connect()
    extra.sendall(b"GET /api/hunts HTTP/1.1\r\nHost: t\r\n\r\n")
    data = recv_all(extra)
    tc.assertEqual(status_of(data), 503)
    tc.assertIn(b"Retry-After: ", data)
    tc.assertIn(b'"error":"overloaded"', data)
    held = [connect() for _ in range(32)]  # the whole reserve, sending nothing
    try:
        last = connect()
        try:
            last.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            data = last.recv(4096)
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        finally:
            last.close()
        tc.assertEqual(data, b"")  # closed without an answer
    finally:
        for s in held:
            s.close()


def recv_all(s):
    """Everything until the server closes (at most 5 s)."""
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return out


class TestClosedEventStreams(unittest.TestCase):
    def test_a_stream_whose_client_left_is_let_go_at_once(self):
        # Before, spurd stopped reading a stream's socket and saw a phone leave only
        # when a later push failed: closed streams kept their places under the
        # per-address cap (a school's NAT address) for up to two pings.
        with Server(hunt_json=demo_hunt()) as srv:
            socks = []
            for _ in range(10):
                s = srv.connect()
                s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n\r\n")
                self.assertEqual(status_of(s.recv(4096)), 200)
                socks.append(s)

            def streams():
                m = srv.request("GET", "/metrics")[2].decode()
                return int(re.search(r"^spur_event_streams (\d+)$", m, re.M)[1])
            self.assertEqual(streams(), 10)
            for s in socks:
                s.close()
            deadline = time.monotonic() + 3  # no board change, no ping in this time
            while streams() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(streams(), 0)


class TestWriteBatching(unittest.TestCase):
    """Responses are sent in batches through io_uring where the kernel allows it, one
    by one where not; the log says which, and both answer the same."""

    def run_with(self, env):
        with Server(hunt_json=demo_hunt(), env=env) as srv:
            # many connections at once: answers of one loop turn leave together
            socks = [srv.connect() for _ in range(100)]
            for s in socks:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            for s in socks:
                self.assertEqual(status_of(s.recv(4096)), 200)
                s.close()
            return srv.stderr()

    def test_the_log_says_how_responses_are_written(self):
        log = self.run_with({"SPUR_IO_URING": "0"})
        self.assertIn("Schreiben ohne io_uring (SPUR_IO_URING=0)", log)
        log = self.run_with({"SPUR_IO_URING": "1"})
        self.assertTrue("Antworten gebündelt über io_uring" in log or
                        "io_uring nicht verfügbar" in log, log[-2000:])


class TestOverallConnectionCap(HttpCase):
    env = {"SPUR_HTTP_MAX_CONNS": "20"}

    def connect_from(self, source):
        s = socket.socket()
        s.settimeout(5)
        s.bind((source, 0))  # loopback answers for all of 127/8: other "addresses"
        s.connect(("127.0.0.1", self.srv.port))
        return s

    def test_connections_over_the_overall_cap_are_closed_from_any_address(self):
        socks = []
        try:
            for source in ("127.0.0.2", "127.0.0.3"):  # 10 each: no address is over a cap
                for _ in range(10):
                    s = self.connect_from(source)
                    socks.append(s)
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                    self.assertEqual(status_of(s.recv(4096)), 200, "connection %d" % len(socks))
            # a new address, but the server is full
            assert_full(self, lambda: self.connect_from("127.0.0.4"))
            socks.pop().close()  # one place free again
            deadline = time.monotonic() + 5
            while True:
                s = self.connect_from("127.0.0.4")
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                try:
                    data = s.recv(4096)
                except ConnectionResetError:
                    data = b""
                s.close()
                if data or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            self.assertEqual(status_of(data), 200)
        finally:
            for s in socks:
                s.close()
            self.wait_until_answering()


class TestSlowEventReader(unittest.TestCase):
    """docs/architecture.md: a client that does not read its event stream is dropped, never
    allowed to grow memory. The kernel buffer of a stream is fixed (64 KiB), so with
    SPUR_HTTP_MAX_QUEUED_BYTES at 64 KiB a reader that stops is found after a few
    hundred KB of pushes; the pushes come every 50 ms to make that quick."""

    def test_a_stream_that_is_not_read_is_dropped_and_others_go_on(self):
        env = {"SPUR_HTTP_MAX_QUEUED_BYTES": "65536", "SPUR_EVENTS_ROWS_MS": "50"}
        with Server(hunt_json=demo_hunt(), env=env) as srv:
            toks = []
            for i in range(80):  # 80 rows of about 130 bytes: pushes of about 10 KB
                st, body = srv.json("POST", "/api/hunts/test-hunt/teams",
                                    {"name": "Team mit langem Namen Nr. %03d" % i})
                self.assertEqual(st, 201, body)
                toks.append(body["token"])
            slow = socket.socket()
            slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            slow.settimeout(10)
            slow.connect(("127.0.0.1", srv.port))
            slow.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n\r\n")
            good = srv.connect(timeout=10)
            good.sendall(b"GET /api/hunts/test-hunt/events?limit=0 HTTP/1.1\r\nHost: t\r\n\r\n")
            good_buf = b""

            def dropped():
                m = srv.request("GET", "/metrics")[2].decode()
                return int(re.search(r"^spur_event_streams_dropped_total (\d+)$", m, re.M)[1])

            changes = iter([(tok, p, a) for p, a in (("stufen", "42"), ("farbe", "gruen"))
                            for tok in toks])
            while not dropped():
                tok, p, a = next(changes)  # StopIteration: never dropped
                st, _ = srv.json("POST", f"/api/hunts/test-hunt/puzzles/{p}/answer",
                                 {"answer": a}, token=tok)
                self.assertEqual(st, 200)
                time.sleep(0.06)
                good_buf += good.recv(65536)  # the good reader keeps up
            # the server closed the slow stream: reading what it holds ends in EOF
            total = 0
            while True:
                chunk = slow.recv(65536)
                if not chunk:
                    break
                total += len(chunk)
            slow.close()
            self.assertGreater(total, 65536)
            # the reader that reads still gets every change
            seen = good_buf.count(b"event: leaderboard")
            tok, p, a = next(changes)
            self.assertEqual(srv.json("POST", f"/api/hunts/test-hunt/puzzles/{p}/answer",
                                      {"answer": a}, token=tok)[0], 200)
            deadline = time.monotonic() + 5
            while good_buf.count(b"event: leaderboard") == seen and time.monotonic() < deadline:
                good_buf += good.recv(65536)
            self.assertGreater(good_buf.count(b"event: leaderboard"), seen)
            good.close()
            self.assertEqual(dropped(), 1)


class TestStatic(HttpCase):
    def test_pages_carry_a_csp_without_inline_script_and_folders_serve_index(self):
        st, headers, body = self.srv.request("GET", "/")
        self.assertEqual(st, 200)
        csp = headers["content-security-policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        st, headers, _ = self.srv.request("GET", "/app.js")
        self.assertNotIn("content-security-policy", headers)
        st, headers, _ = self.srv.request("GET", "/staff/")
        self.assertEqual(st, 200)
        self.assertIn("content-security-policy", headers)

    def test_content_types_and_cache_control(self):
        cases = {
            "/": ("text/html; charset=utf-8", "no-cache"),
            "/index.html": ("text/html; charset=utf-8", "no-cache"),
            "/sub/page.html": ("text/html; charset=utf-8", "no-cache"),
            "/app.js": ("text/javascript; charset=utf-8", "no-cache"),
            "/app.mjs": ("text/javascript; charset=utf-8", "no-cache"),
            "/sw.js": ("text/javascript; charset=utf-8", "no-cache"),
            "/app.css": ("text/css; charset=utf-8", "no-cache"),
            "/manifest.webmanifest": ("application/manifest+json", "no-cache"),
            "/data.json": ("application/json", "no-cache"),
            "/icon.svg": ("image/svg+xml", "public, max-age=86400"),
            "/icon.png": ("image/png", "public, max-age=86400"),
            "/favicon.ico": ("image/x-icon", "public, max-age=86400"),
            "/robots.txt": ("text/plain; charset=utf-8", "no-cache"),
            "/font.woff2": ("font/woff2", "public, max-age=86400"),
            "/app.js.map": ("application/json", "no-cache"),
        }
        for path, (ctype, cache) in cases.items():
            with self.subTest(path=path):
                status, hdrs, body = self.srv.request("GET", path)
                self.assertEqual(status, 200)
                self.assertEqual(hdrs["content-type"], ctype)
                self.assertEqual(hdrs["cache-control"], cache)
                name = "index.html" if path == "/" else path.lstrip("/")
                with open(os.path.join(self.assets, name), "rb") as f:
                    self.assertEqual(body, f.read())

    def test_etag_and_304(self):
        status, hdrs, _ = self.srv.request("GET", "/app.js")
        etag = hdrs["etag"]
        self.assertTrue(etag.startswith('"') and etag.endswith('"') and len(etag) > 10)
        for inm in (etag, "W/" + etag, '"other", ' + etag, "*"):
            with self.subTest(inm=inm):
                status, hdrs2, body = self.srv.request("GET", "/app.js",
                                                       headers={"If-None-Match": inm})
                self.assertEqual(status, 304)
                self.assertEqual(body, b"")
                self.assertEqual(hdrs2["etag"], etag)
        status, _, body = self.srv.request("GET", "/app.js", headers={"If-None-Match": '"x"'})
        self.assertEqual(status, 200)
        _, hdrs3, _ = self.srv.request("GET", "/app.css")
        self.assertNotEqual(hdrs3["etag"], etag)

    def test_traversal_and_hidden_files_are_not_served(self):
        paths = ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd",
                 "/sub/../index.html", "/sub/%2e%2e/index.html", "/.hidden", "/%2ehidden",
                 "/.git/config", "/secret.txt", "/link.js", "/up/secret.txt", "//app.js",
                 "/sub//page.html", "/app.js%5c", "/sub%5cpage.html", "/./app.js",
                 "/sub/./page.html", "/..%2fsecret.txt", "/nope.js", "/sub", "/sub/"]
        for p in paths:
            with self.subTest(path=p):
                out = self.srv.raw(b"GET " + p.encode() + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                self.assertIn(status_of(out), (400, 404), out[:200])
                self.assertNotIn(b"SECRET", out)
                self.assertNotIn(b"root:", out)
                self.assertNotIn(b"console.log", out)

    def test_head_of_a_static_file(self):
        status, hdrs, body = self.srv.request("HEAD", "/big.js")
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["content-length"], str(BIG))
        self.assertEqual(body, b"")


class TestTimeouts(HttpCase):
    env = {"SPUR_HTTP_HEADER_TIMEOUT_MS": "1000", "SPUR_HTTP_BODY_TIMEOUT_MS": "1000",
           "SPUR_HTTP_IDLE_TIMEOUT_MS": "1000"}

    def read_until_close(self, s, limit):
        data = b""
        s.settimeout(limit)
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        return data

    def trickle(self, head, payload, step=0.25, limit=4.0):
        """Sends head, then payload one byte every `step` s; returns (reply, seconds)."""
        s = self.srv.connect()
        t0 = time.monotonic()
        data = b""
        try:
            s.sendall(head)
            s.settimeout(step)
            for b in payload:
                try:
                    s.sendall(bytes([b]))
                except (BrokenPipeError, ConnectionResetError):
                    break
                try:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                    break
                except socket.timeout:
                    pass
                if time.monotonic() - t0 > limit:
                    break
            data += self.read_until_close(s, 2)
        finally:
            s.close()
        return data, time.monotonic() - t0

    def test_headers_trickled_slowly_get_408_at_the_total_deadline(self):
        data, secs = self.trickle(b"GET /healthz HTTP/1.1\r\nHost: t\r\n", b"X-Slow: " + b"a" * 100)
        self.assertEqual(status_of(data), 408, data)
        self.assertIn(b"Connection: close", data)
        self.assertLess(secs, 3.5)

    def test_body_trickled_slowly_gets_408(self):
        data, secs = self.trickle(b"POST /api/hunts/x/teams HTTP/1.1\r\nHost: t\r\nContent-Type: "
                                  b"application/json\r\nContent-Length: 100\r\n\r\n", b"{" * 100)
        self.assertEqual(status_of(data), 408, data)
        self.assertLess(secs, 3.5)

    def test_idle_keep_alive_connection_is_closed(self):
        s = self.srv.connect()
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            t0 = time.monotonic()
            data = self.read_until_close(s, 4)
        finally:
            s.close()
        self.assertEqual(status_of(data), 200)
        self.assertTrue(data.endswith(b"ok\n"))  # closed without another response
        self.assertLess(time.monotonic() - t0, 3)

    def test_silent_new_connection_is_closed(self):
        s = self.srv.connect()
        try:
            t0 = time.monotonic()
            data = self.read_until_close(s, 4)
        finally:
            s.close()
        self.assertEqual(data, b"")
        self.assertLess(time.monotonic() - t0, 3)


def read_head(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class TestWithHunt(DemoHuntCase):
    """Answers that come later (after a database commit) and event streams."""

    def tearDown(self):
        self.assertTrue(self.srv.alive(), "spurd died:\n" + self.srv.stderr()[-5000:])
        self.assertEqual(self.srv.request("GET", "/healthz")[0], 200)

    def post_team(self, name, extra=b""):
        body = json.dumps({"name": name}).encode()
        return (b"POST /api/hunts/test-hunt/teams HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s%s"
                % (len(body), body, extra))

    def test_client_gone_before_a_committed_answer_is_harmless(self):
        for i in range(30):
            s = self.srv.connect()
            s.sendall(self.post_team("Gone %d" % i, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            s.close()
        time.sleep(0.5)

    def test_committed_answers_keep_pipeline_order(self):
        req = b"".join(self.post_team("Order %d" % i, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                       for i in range(5))
        resps = parse_responses(self.srv.raw(req, timeout=10, shut_wr=True))
        self.assertEqual([r[0] for r in resps], [201, 200] * 5)
        for i in range(5):
            self.assertEqual(json.loads(resps[2 * i][2])["team"]["name"], "Order %d" % i)

    def test_half_closed_client_gets_every_answer(self):
        # A client that sends its requests and closes its sending side at once (curl
        # with --http1.1 and some proxies do) still gets every answer whole: the last
        # ones may not have left the server yet when it sees the end of input.
        with open(os.path.join(spurlib.REPO, "assets", "app.js"), "rb") as f:
            body = f.read()
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # the server must queue
        s.settimeout(10)
        s.connect(("127.0.0.1", self.srv.port))
        s.sendall(b"GET /app.js HTTP/1.1\r\nHost: t\r\n\r\n" * 12)
        s.shutdown(socket.SHUT_WR)
        time.sleep(0.3)  # the end of input arrives while answers still wait to be sent
        data = read_to_end(s)
        s.close()
        resps = parse_responses(data)
        self.assertEqual([r[0] for r in resps], [200] * 12)
        self.assertTrue(all(r[2] == body for r in resps))

    def test_many_clients_misbehaving_at_once(self):
        import random
        import threading
        rng = random.Random(7)
        plans = [[rng.randrange(6) for _ in range(25)] for _ in range(8)]
        errors = []

        def client(plan, n):
            for i, op in enumerate(plan):
                try:
                    s = self.srv.connect(timeout=5)
                    if op == 0:  # pipelined reads and writes, then vanish with RST
                        s.sendall(self.post_team("C%d-%d" % (n, i)) +
                                  b"GET /app.js HTTP/1.1\r\nHost: t\r\n\r\n" * 5)
                        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                     b"\1\0\0\0\0\0\0\0")
                    elif op == 1:  # a good pipeline read to the end
                        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" * 3 +
                                  self.post_team("D%d-%d" % (n, i)))
                        s.shutdown(socket.SHUT_WR)
                        data = read_to_end(s)
                        got = [r[0] for r in parse_responses(data)]
                        if got != [200, 200, 200, 201]:
                            errors.append((got, len(data), data[-300:]))
                    elif op == 2:  # an event stream dropped at once
                        s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n\r\n")
                    elif op == 3:  # half a request
                        s.sendall(b"POST /api/hunts/test-hunt/teams HTTP/1.1\r\nHost: t\r\nContent-Le")
                    elif op == 4:  # garbage after a good request
                        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n\x00\x01garbage\r\n\r\n")
                        s.recv(100)
                    else:  # a body cut short
                        s.sendall(self.post_team("E%d-%d" % (n, i))[:-3])
                    s.close()
                except OSError as e:
                    errors.append(repr(e))

        threads = [threading.Thread(target=client, args=(p, n)) for n, p in enumerate(plans)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        time.sleep(0.5)

    def test_event_stream_head_then_client_gone(self):
        s = self.srv.connect()
        try:
            s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: x\r\n\r\n")
            head = read_head(s)
        finally:
            s.close()
        self.assertEqual(status_of(head), 200, head)
        low = head.lower()
        self.assertIn(b"content-type: text/event-stream", low)
        self.assertNotIn(b"content-length", low)

    def test_event_stream_after_pipelined_request_waits_its_turn(self):
        s = self.srv.connect()
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
                      b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n\r\n"
                      b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            time.sleep(0.5)
            s.settimeout(1)
            data = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except socket.timeout:
                pass
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 200 OK"))
        second = data.find(b"HTTP/1.1 200 OK", 10)
        self.assertGreater(second, 0, data)
        self.assertIn(b"text/event-stream", data[second:])
        self.assertEqual(data.count(b"HTTP/1.1 "), 2)  # nothing after the stream is read


class TestShutdown(unittest.TestCase):
    def test_sigterm_with_an_open_event_stream_exits_zero(self):
        with Server(hunt_json=demo_hunt()) as srv:
            s = srv.connect()
            s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n\r\n")
            self.assertEqual(status_of(read_head(s)), 200)
            t0 = time.monotonic()
            srv.stop()
            self.assertLess(time.monotonic() - t0, 5)
            s.close()

    def test_sigterm_with_idle_and_partial_connections_exits_zero(self):
        with Server() as srv:
            idle = srv.connect()
            idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            idle.recv(4096)
            partial = srv.connect()
            partial.sendall(b"GET /heal")
            time.sleep(0.1)
            t0 = time.monotonic()
            srv.restart()
            self.assertLess(time.monotonic() - t0, 5)
            self.assertEqual(srv.request("GET", "/healthz")[0], 200)
            idle.close()
            partial.close()


if __name__ == "__main__":
    unittest.main()
