"""Bounded by design: every table fed by clients has a limit, and what a client gets
past it. Real spurd over real sockets; other client addresses come through
X-Forwarded-For from a trusted proxy (127.0.0.1), all on loopback."""
import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import time
import unittest

from spurlib import BUILD, Server, demo_hunt, now_iso, parse_responses


def new_team(srv, name, headers=None):
    st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": name}, headers=headers)
    assert st == 201, (st, body)
    return body["token"], body


def metric(srv, name):
    text = srv.request("GET", "/metrics")[2].decode()
    m = re.search(r"^%s (\d+)$" % re.escape(name), text, re.M)
    return int(m[1]) if m else None


def events_in_db(srv):
    with sqlite3.connect(srv.db) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


class KeepAlive:
    """Many requests on one connection: a phone's script, as fast as it can."""

    def __init__(self, srv, token):
        self.conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        self.token = token

    def post(self, path, body):
        self.conn.request("POST", path, body=json.dumps(body).encode(),
                          headers={"Content-Type": "application/json",
                                   "Authorization": "Bearer " + self.token})
        r = self.conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, json.loads(r.read())

    def close(self):
        self.conn.close()


class TestRepeatedAnswers(unittest.TestCase):
    """A repeated wrong or partial answer with a fresh client_id each time is answered
    like the first and kept nowhere: neither a row per repeat nor a retry result."""

    def test_repeats_with_fresh_client_ids_grow_neither_disk_nor_memory(self):
        hunt = demo_hunt()
        hunt["puzzles"][1]["requires"] = []  # kaiser open from the start
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Wiederholer")
            ka = KeepAlive(srv, tok)
            try:
                for i in range(1000):
                    st, _, body = ka.post("/api/hunts/test-hunt/puzzles/stufen/answer",
                                          {"answer": "41", "client_id": "w%d" % i})
                    self.assertEqual(st, 200)
                    self.assertFalse(body["correct"])
                    self.assertEqual(body.get("repeated", False), i > 0)
                for i in range(1000):
                    st, _, body = ka.post("/api/hunts/test-hunt/puzzles/kaiser/answer",
                                          {"answer": "Friedrich", "client_id": "p%d" % i})
                    self.assertEqual((st, body["partial"]), (200, True))
            finally:
                ka.close()
            self.assertEqual(events_in_db(srv), 2)  # the first of each
            self.assertEqual(metric(srv, 'spur_retry_results{hunt="test-hunt"}'), 2)

    def test_a_partial_answer_is_repeated_free_but_counts_once_against_the_limit(self):
        hunt = demo_hunt()
        hunt["guess_limit"] = 3
        hunt["puzzles"][1]["requires"] = []  # kaiser open from the start
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Teilweise")
            ka = KeepAlive(srv, tok)
            try:
                for i in range(500):
                    st, _, body = ka.post("/api/hunts/test-hunt/puzzles/kaiser/answer",
                                          {"answer": " friedrich! ", "client_id": "p%d" % i})
                    self.assertEqual(st, 200)
                    self.assertEqual((body["partial"], body["message"]),
                                     (True, "Welcher Friedrich?"))
                    self.assertEqual(body.get("repeated", False), i > 0)
                # the partial answer was one of three allowed guesses
                for wrong in ("Otto", "Karl"):
                    st, _, _ = ka.post("/api/hunts/test-hunt/puzzles/kaiser/answer",
                                       {"answer": wrong})
                    self.assertEqual(st, 200)
                st, headers, body = ka.post("/api/hunts/test-hunt/puzzles/kaiser/answer",
                                            {"answer": "Ludwig"})
                self.assertEqual(st, 429)
                self.assertGreaterEqual(int(headers["retry-after"]), 1)
            finally:
                ka.close()
            self.assertEqual(events_in_db(srv), 3)
            srv.restart()  # the replayed state has the same three guesses counted
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/kaiser/answer",
                                {"answer": "Ludwig"}, token=tok)
            self.assertEqual(st, 429, body)

    def test_a_retry_of_a_forgotten_result_is_judged_again(self):
        hunt = demo_hunt()
        hunt["guess_limit"] = 64
        hunt["guess_window"] = 1
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Vergesslich")
            ka = KeepAlive(srv, tok)
            try:
                for i in range(70):  # 70 distinct wrong answers: more than the 64 kept
                    st, _, _ = ka.post("/api/hunts/test-hunt/puzzles/stufen/answer",
                                       {"answer": str(100 + i), "client_id": "c%d" % i})
                    self.assertEqual(st, 200)
                    if i % 50 == 49:
                        time.sleep(1.1)  # stay under 64 a second
                self.assertEqual(metric(srv, 'spur_retry_results{hunt="test-hunt"}'), 64)
                st, headers, body = ka.post("/api/hunts/test-hunt/puzzles/stufen/answer",
                                            {"answer": "169", "client_id": "c69"})
                self.assertEqual(headers.get("x-spur-replay"), "1")  # kept: the first result
                self.assertNotIn("repeated", body)
                st, headers, body = ka.post("/api/hunts/test-hunt/puzzles/stufen/answer",
                                            {"answer": "100", "client_id": "c0"})
                self.assertEqual(st, 200)
                self.assertIsNone(headers.get("x-spur-replay"))  # forgotten: judged again,
                self.assertTrue(body["repeated"])                # and a repeat is free
            finally:
                ka.close()


class TestTeamSize(unittest.TestCase):
    def test_a_team_takes_max_team_members_phones_then_says_team_full(self):
        hunt = demo_hunt()
        hunt["max_team_members"] = 3
        with Server(hunt_json=hunt) as srv:
            _, team = new_team(srv, "Drei Handys")
            code = team["team"]["join_code"]
            for _ in range(2):
                st, _ = srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": code})
                self.assertEqual(st, 200)
            st, body = srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": code})
            self.assertEqual((st, body["error"]), (409, "team_full"))
            self.assertIn("3 Handys", body["message"])
            srv.restart()  # the count survives a restart
            st, body = srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": code})
            self.assertEqual((st, body["error"]), (409, "team_full"))
            with sqlite3.connect(srv.db) as db:
                self.assertEqual(db.execute("SELECT count(*) FROM tokens").fetchone()[0], 3)


class TestMadeAt(unittest.TestCase):
    def test_made_at_cannot_date_an_answer_before_its_team_existed(self):
        hunt = demo_hunt(starts_in=-3600)
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Zeitreisende")
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42", "client_id": "t1",
                                 "made_at": now_iso(-1800)}, token=tok)
            self.assertEqual((st, body["correct"]), (200, True))
            with sqlite3.connect(srv.db) as db:
                made, at, created = db.execute(
                    "SELECT made_at_ms, at_ms, created_at_ms FROM events "
                    "JOIN teams ON teams.id = events.team_id").fetchone()
            self.assertGreaterEqual(made, created)
            self.assertLessEqual(made, at)


class TestWalBound(unittest.TestCase):
    """The WAL file stays under SPUR_WAL_MAX_MB however long answers keep coming: the
    background checkpoints alone never let it start over while writes go on."""

    def test_the_wal_starts_over_at_its_bound_and_nothing_is_lost(self):
        import threading
        hunt = demo_hunt()
        hunt["guess_limit"] = 64
        with Server(hunt_json=hunt, env={"SPUR_WAL_MAX_MB": "1",
                                         "SPUR_TEAMS_PER_MINUTE": "1000"}) as srv:
            toks = [new_team(srv, "Flut %d" % i)[0] for i in range(64)]
            before = events_in_db(srv)
            statuses = []

            def player(mine):
                for tok in mine:
                    ka = KeepAlive(srv, tok)
                    try:
                        for i in range(32):  # under the guess limit of 64
                            st, _, _ = ka.post("/api/hunts/test-hunt/puzzles/stufen/answer",
                                               {"answer": "%s %d" % (tok[:8], i)})
                            statuses.append(st)
                    finally:
                        ka.close()
            threads = [threading.Thread(target=player, args=(toks[k::8],)) for k in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            self.assertEqual(statuses, [200] * 2048)
            self.assertEqual(events_in_db(srv) - before, 2048)  # every acknowledged one
            wal = os.path.getsize(srv.db + "-wal")
            self.assertLess(wal, 1536 * 1024, "the WAL grew past its bound")
            self.assertIn("WAL bei", srv.stderr())


class TestDiskFloor(unittest.TestCase):
    def test_below_the_floor_new_teams_wait_and_players_go_on(self):
        with Server(hunt_json=demo_hunt()) as srv:
            tok, team = new_team(srv, "Schon dabei")
            self.assertEqual(metric(srv, "spur_disk_low"), 0)
            srv.args = ["--min-free-disk", "1000000T"]  # more than any disk here
            srv.restart()
            st, headers, raw = srv.request("POST", "/api/hunts/test-hunt/teams",
                                           {"name": "Neu"})
            body = json.loads(raw)
            self.assertEqual((st, body["error"]), (503, "disk_low"))
            self.assertGreaterEqual(int(headers["retry-after"]), 60)
            self.assertIn("Speicherplatz", body["message"])
            st, body = srv.json("POST", "/api/hunts/test-hunt/join",
                                {"join_code": team["team"]["join_code"]})
            self.assertEqual((st, body["error"]), (503, "disk_low"))
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42"}, token=tok)
            self.assertEqual((st, body["correct"]), (200, True))  # answers still count
            self.assertEqual(metric(srv, "spur_disk_low"), 1)
            self.assertEqual(metric(srv, "spur_disk_refused_total"), 2)
            self.assertIn("below the floor", srv.stderr())

    def test_a_bad_size_is_refused_at_start(self):
        r = subprocess.run([os.path.join(BUILD, "spurd"), "--min-free-disk", "viel"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--min-free-disk", r.stderr)


class TestBehindAProxy(unittest.TestCase):
    """spurd --trust-proxy 127.0.0.1: the test plays the proxy and names the phones."""

    def test_forwarded_addresses_count_only_from_a_trusted_proxy(self):
        env = {"SPUR_CODE_FAILS_PER_MINUTE": "2"}  # a burst of 4
        with Server(hunt_json=demo_hunt(), env=env, args=["--trust-proxy", "127.0.0.1"]) as srv:
            def join(xff):
                return srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": "AAAA-AAAA"},
                                headers={"X-Forwarded-For": xff})[0]
            for _ in range(4):
                self.assertEqual(join("198.51.100.1"), 404)
            self.assertEqual(join("198.51.100.1"), 429)
            self.assertEqual(join("1.2.3.4, 198.51.100.1"), 429)  # a forged left part: same
            self.assertEqual(join("198.51.100.2"), 404)  # another phone is served
            # IPv6: one /64 is one client
            for i in range(4):
                self.assertEqual(join("2001:db8:1:2::%x" % (i + 1)), 404)
            self.assertEqual(join("2001:db8:1:2:ffff::9"), 429)
            self.assertEqual(join("2001:db8:1:3::1"), 404)
            # the staff token is never refused by an address limit
            st, _ = srv.json("GET", "/api/admin/hunts/test-hunt/stats", token=srv.admin_token,
                             headers={"X-Forwarded-For": "198.51.100.1"})
            self.assertEqual(st, 200)

    def test_without_trust_a_forwarded_header_changes_nothing(self):
        env = {"SPUR_CODE_FAILS_PER_MINUTE": "2"}
        with Server(hunt_json=demo_hunt(), env=env) as srv:
            for i in range(4):
                st, _ = srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": "AAAA-AAAA"},
                                 headers={"X-Forwarded-For": "198.51.100.%d" % i})
                self.assertEqual(st, 404)
            st, _ = srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": "AAAA-AAAA"},
                             headers={"X-Forwarded-For": "198.51.100.99"})
            self.assertEqual(st, 429)

    def test_a_limited_address_stays_limited_however_many_others_come(self):
        env = {"SPUR_CODE_FAILS_PER_MINUTE": "2", "SPUR_ADDR_BUCKETS": "50"}
        with Server(hunt_json=demo_hunt(), env=env, args=["--trust-proxy", "127.0.0.1"]) as srv:
            def join(xff):
                return srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": "AAAA-AAAA"},
                                headers={"X-Forwarded-For": xff})[0]
            for _ in range(4):
                join("198.51.100.1")
            self.assertEqual(join("198.51.100.1"), 429)
            # 300 other addresses, each using up its budget: the table holds 50
            for i in range(300):
                for _ in range(4):
                    join("10.0.%d.%d" % (i // 200, i % 200 + 1))
            self.assertEqual(join("198.51.100.1"), 429)
            self.assertLessEqual(metric(srv, 'spur_address_buckets{limit="codes"}'), 50)
            self.assertGreater(metric(srv, "spur_address_buckets_overflow_total"), 0)

    def test_the_cookie_is_secure_when_the_public_address_is_https(self):
        with Server(hunt_json=demo_hunt(),
                    args=["--base-url", "https://rallye.example.org"]) as srv:
            st, headers, _ = srv.request("POST", "/api/hunts/test-hunt/teams", {"name": "Sicher"})
            self.assertEqual(st, 201)
            self.assertIn("; Secure", headers["set-cookie"])
        with Server(hunt_json=demo_hunt()) as srv:
            st, headers, _ = srv.request("POST", "/api/hunts/test-hunt/teams", {"name": "Lokal"})
            self.assertNotIn("Secure", headers["set-cookie"])

    def test_a_bad_range_is_refused_at_start(self):
        r = subprocess.run([os.path.join(BUILD, "spurd"), "--trust-proxy", "10.0.0.0/33"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("10.0.0.0/33", r.stderr)

    def test_a_trusted_proxy_is_not_held_to_the_per_address_cap(self):
        env = {"SPUR_HTTP_MAX_CONNS_PER_ADDR": "4"}
        with Server(hunt_json=demo_hunt(), env=env, args=["--trust-proxy", "127.0.0.1"]) as srv:
            socks = []
            try:
                for i in range(12):
                    s = srv.connect()
                    s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n"
                              b"X-Forwarded-For: 198.51.100.%d\r\n\r\n" % i)
                    self.assertIn(b" 200 ", s.recv(4096).split(b"\r\n")[0])
                    socks.append(s)
            finally:
                for s in socks:
                    s.close()


class TestHalfClose(unittest.TestCase):
    def test_pipelined_writes_then_half_close_get_every_response_whole(self):
        # Writes wait for their commit (and each other: one per team in flight); the
        # client has said it sends nothing more. Every answer must still arrive, in
        # order, whole, also from a phone behind the trusted proxy.
        hunt = demo_hunt()
        hunt["guess_limit"] = 64
        with Server(hunt_json=hunt, args=["--trust-proxy", "127.0.0.1"]) as srv:
            tok, _ = new_team(srv, "Fliessband")
            reqs = b""
            answers = ["%d" % (100 + i) for i in range(14)] + ["42"]
            for a in answers:
                body = json.dumps({"answer": a, "client_id": "h" + a}).encode()
                reqs += (b"POST /api/hunts/test-hunt/puzzles/stufen/answer HTTP/1.1\r\n"
                         b"Host: t\r\nX-Forwarded-For: 198.51.100.7\r\n"
                         b"Content-Type: application/json\r\nAuthorization: Bearer %s\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (tok.encode(), len(body), body))
            reqs += b"GET /api/hunts/test-hunt/me HTTP/1.1\r\nHost: t\r\n" \
                    b"Authorization: Bearer %s\r\n\r\n" % tok.encode()
            resps = parse_responses(srv.raw(reqs, timeout=10, shut_wr=True))
            self.assertEqual([r[0] for r in resps], [200] * 16)
            bodies = [json.loads(r[2]) for r in resps]
            self.assertEqual([b["correct"] for b in bodies[:15]], [False] * 14 + [True])
            self.assertEqual(bodies[15]["team"]["name"], "Fliessband")
            # (a read pipelined behind writes may be answered before they commit: clients
            # must not pipeline after a POST, RFC 9112 9.3.2; its answer still comes whole)
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/me", token=tok)[1]["score"], 8)


class TestReload(unittest.TestCase):
    def test_after_import_and_sighup_the_board_is_new_and_streams_hear_it(self):
        hunt = demo_hunt()
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Vorher")
            st, headers, _ = srv.request("GET", "/api/hunts/test-hunt/leaderboard")
            etag = headers["etag"]
            stream = srv.connect(timeout=10)
            stream.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: t\r\n\r\n")
            buf = b""
            while buf.count(b"event: leaderboard") < 1:
                buf += stream.recv(65536)
            hunt["puzzles"][2]["points"] = 80  # an update of the hunt file
            srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer", {"answer": "42"},
                     token=tok)
            srv.import_hunt(hunt)
            srv.signal_hup()
            deadline = time.monotonic() + 10
            while b'"score":80' not in buf and time.monotonic() < deadline:
                buf += stream.recv(65536)
            stream.close()
            self.assertIn(b'"score":80', buf)  # the stream was told the reloaded board
            st, headers, raw = srv.request("GET", "/api/hunts/test-hunt/leaderboard",
                                           headers={"If-None-Match": etag})
            self.assertEqual(st, 200)  # never a stale 304
            self.assertNotEqual(headers["etag"], etag)
            self.assertEqual(json.loads(raw)["teams"][0]["score"], 80)


if __name__ == "__main__":
    unittest.main()
