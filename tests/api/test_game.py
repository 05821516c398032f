"""Black-box tests of the game over real HTTP: a real spurd on a free port with
a fresh database, played through the contract in docs/api.md."""
import gzip
import json
import os
import re
import socket
import sqlite3
import subprocess
import threading
import time
import unittest

from spurlib import SHORT_HUNT, DemoHuntCase, Server, demo_hunt, epoch, now_iso, sleep_until, BUILD


def qr_codes(srv, hunt="test-hunt"):
    """place id -> (token, short code), from `spur qr --format text`."""
    out = subprocess.run([os.path.join(BUILD, "spur"), "qr", "--db", srv.db, "--hunt", hunt,
                          "--format", "text"], capture_output=True, text=True, check=True).stdout
    codes = {}
    for line in out.splitlines():
        place, url, short = line.split("\t")
        codes[place] = (url.rsplit("/s/", 1)[1], short)
    return codes


def new_team(srv, name, hunt="test-hunt"):
    st, body = srv.json("POST", f"/api/hunts/{hunt}/teams", {"name": name})
    assert st == 201, (st, body)
    return body["token"], body


class TestHuntInfo(DemoHuntCase):
    def test_hunt_list_shows_the_running_hunt(self):
        st, body = self.srv.json("GET", "/api/hunts")
        self.assertEqual(st, 200)
        self.assertEqual([h["id"] for h in body], ["test-hunt"])
        self.assertEqual(body[0]["state"], "running")

    def test_hunt_details_carry_commitment_and_server_time(self):
        st, h = self.srv.json("GET", "/api/hunts/test-hunt")
        self.assertEqual(st, 200)
        self.assertRegex(h["draw_commitment"], r"^[0-9a-f]{64}$")
        self.assertEqual(h["puzzle_count"], 4)
        self.assertTrue(h["server_time"].endswith("Z"))
        for k in ("id", "title", "intro", "starts_at", "ends_at", "freeze_at", "state"):
            self.assertIn(k, h)

    def test_unknown_hunt_is_404_with_code(self):
        st, body = self.srv.json("GET", "/api/hunts/nope")
        self.assertEqual(st, 404)
        self.assertEqual(body["error"], "unknown_hunt")

    def test_wrong_method_is_405_with_allow(self):
        st, headers, _ = self.srv.request("DELETE", "/api/hunts/test-hunt/teams")
        self.assertEqual(st, 405)
        self.assertEqual(headers.get("allow"), "POST")

    def test_web_app_is_sent_gzipped_to_phones_that_accept_it(self):
        st, plain_h, plain = self.srv.request("GET", "/app.js")
        self.assertEqual(st, 200)
        self.assertNotIn("content-encoding", plain_h)
        st, gz_h, gz = self.srv.request("GET", "/app.js",
                                        headers={"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual((st, gz_h["content-encoding"]), (200, "gzip"))
        self.assertEqual(gzip.decompress(gz), plain)
        self.assertLess(len(gz), len(plain) / 2)
        self.assertEqual(gz_h["vary"], "Accept-Encoding")
        self.assertNotEqual(gz_h["etag"], plain_h["etag"])
        st, _, body = self.srv.request("GET", "/app.js", headers={
            "Accept-Encoding": "gzip", "If-None-Match": gz_h["etag"]})
        self.assertEqual((st, body), (304, b""))
        st, h, _ = self.srv.request("GET", "/app.js", headers={"Accept-Encoding": "gzip;q=0"})
        self.assertNotIn("content-encoding", h)

    def test_healthz_and_metrics(self):
        st, _, body = self.srv.request("GET", "/healthz")
        self.assertEqual((st, body.strip()), (200, b"ok"))
        st, headers, body = self.srv.request("GET", "/metrics")
        self.assertEqual(st, 200)
        self.assertIn(b"spur_http_requests_total{route=\"healthz\",status=\"200\"}", body)
        self.srv.json("GET", "/api/hunts/nope")
        st, _, body = self.srv.request("GET", "/metrics")
        self.assertRegex(body, rb'spur_http_requests_total\{route="hunt",status="404"\} [1-9]')
        self.assertIn(b"spur_commit_seconds_bucket", body)


class TestTeams(DemoHuntCase):
    def test_create_team_gives_token_cookie_and_join_code(self):
        st, headers, raw = self.srv.request("POST", "/api/hunts/test-hunt/teams",
                                            {"name": "  Die Füchse  "})
        self.assertEqual(st, 201)
        body = json.loads(raw)
        self.assertEqual(body["team"]["name"], "Die Füchse")
        self.assertRegex(body["team"]["join_code"], r"^[A-Z2-7]{4}-[A-Z2-7]{4}$")
        self.assertIn("spur_token=" + body["token"], headers["set-cookie"])
        self.assertIn("HttpOnly", headers["set-cookie"])
        self.assertIn("SameSite=Lax", headers["set-cookie"])
        # the cookie alone authenticates
        st, me = self.srv.json("GET", "/api/hunts/test-hunt/me",
                               headers={"Cookie": "spur_token=" + body["token"]})
        self.assertEqual(st, 200)
        self.assertEqual(me["team"]["id"], body["team"]["id"])
        self.assertEqual(me["score"], 0)

    def test_name_is_unique_regardless_of_case(self):
        new_team(self.srv, "Eulen")
        st, body = self.srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "EULEN"})
        self.assertEqual((st, body["error"]), (409, "name_taken"))

    def test_bad_names_are_refused(self):
        for name in ["", "   ", "x" * 33, "tab\there", "evil\u202eoverride", "zero\u200bwidth"]:
            st, body = self.srv.json("POST", "/api/hunts/test-hunt/teams", {"name": name})
            self.assertEqual((st, body["error"]), (400, "bad_name"), name)
        st, _ = self.srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "ü" * 32})
        self.assertEqual(st, 201)

    def test_bodies_must_be_strict_json(self):
        cases = [b'{"name": "a"} x', b'{"name": "a", "name": "b"}', b'{"name": 5}',
                 b'{"name": "a\\u0000b"}', b'{"name": "\xff"}', b'[]', b'{"nme": "a"}',
                 b'{' * 40 + b'}' * 40, b'']
        for body in cases:
            st, headers, raw = self.srv.request("POST", "/api/hunts/test-hunt/teams", raw_body=body,
                                                headers={"Content-Type": "application/json"})
            self.assertEqual(st, 400, body)
            self.assertIn(json.loads(raw)["error"], ("bad_json", "bad_name"), body)

    def test_body_needs_json_content_type(self):
        st, _, raw = self.srv.request("POST", "/api/hunts/test-hunt/teams", raw_body=b'{"name":"x"}',
                                      headers={"Content-Type": "text/plain"})
        self.assertEqual(st, 415)
        self.assertEqual(json.loads(raw)["error"], "unsupported_media_type")

    def test_second_phone_joins_by_code_in_any_spelling(self):
        tok, body = new_team(self.srv, "Dachse")
        code = body["team"]["join_code"]
        for spelling in [code, code.lower(), code.replace("-", ""), code.replace("-", " ")]:
            st, j = self.srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": spelling})
            self.assertEqual(st, 200, spelling)
            self.assertEqual(j["team"]["id"], body["team"]["id"])
            self.assertNotEqual(j["token"], tok)
        st, j = self.srv.json("POST", "/api/hunts/test-hunt/join", {"join_code": "AAAA-AAAA"})
        self.assertEqual((st, j["error"]), (404, "unknown_join_code"))

    def test_forged_tokens_are_401(self):
        for tok in ["x" * 43, "", "a b", "A" * 500]:
            st, body = self.srv.json("GET", "/api/hunts/test-hunt/me", token=tok)
            self.assertEqual(st, 401, tok)
            self.assertEqual(body["error"], "unauthorized")

    def test_join_qr_is_svg(self):
        tok, _ = new_team(self.srv, "QR-Team")
        st, headers, raw = self.srv.request("GET", "/api/hunts/test-hunt/me/join.svg", token=tok)
        self.assertEqual(st, 200)
        self.assertEqual(headers["content-type"], "image/svg+xml")
        self.assertTrue(raw.startswith(b"<svg"))


class TestPlay(unittest.TestCase):
    def setUp(self):
        self.srv = Server(hunt_json=demo_hunt()).__enter__()
        self.codes = qr_codes(self.srv)
        self.tok, _ = new_team(self.srv, "Spieler")

    def tearDown(self):
        self.srv.__exit__(None, None, None)

    def answer(self, puzzle, text, tok=None, **extra):
        return self.srv.json("POST", f"/api/hunts/test-hunt/puzzles/{puzzle}/answer",
                             dict(answer=text, **extra), token=tok or self.tok)

    def scan(self, code, tok=None, **extra):
        return self.srv.json("POST", "/api/hunts/test-hunt/scan", dict(code=code, **extra),
                             token=tok or self.tok)

    def puzzles(self, tok=None):
        st, body = self.srv.json("GET", "/api/hunts/test-hunt/puzzles", token=tok or self.tok)
        self.assertEqual(st, 200)
        return {p["id"]: p for p in body}

    def score(self, tok=None):
        return self.srv.json("GET", "/api/hunts/test-hunt/me", token=tok or self.tok)[1]["score"]

    def test_locked_puzzle_hides_its_clue_until_scan_unlocks_it(self):
        ps = self.puzzles()
        self.assertEqual(ps["kaiser"]["status"], "locked")
        self.assertNotIn("clue", ps["kaiser"])
        self.assertEqual(ps["find-rathaus"]["place"]["id"], "rathaus")
        st, body = self.answer("kaiser", "Barbarossa")
        self.assertEqual((st, body["error"]), (403, "locked"))
        st, body = self.scan(self.codes["rathaus"][0])
        self.assertEqual(st, 200)
        self.assertEqual(body["place"], "rathaus")
        self.assertEqual(body["solved"], ["find-rathaus"])
        self.assertEqual(body["unlocked"], ["kaiser"])
        ps = self.puzzles()
        self.assertEqual(ps["find-rathaus"]["status"], "solved")
        self.assertEqual(ps["kaiser"]["status"], "open")
        self.assertIn("clue", ps["kaiser"])
        self.assertEqual(self.score(), 5)

    def test_short_code_scans_in_any_case_with_or_without_dash(self):
        short = self.codes["brunnen"][1]
        for variant in [short, short.lower(), short.replace("-", ""), short.replace("-", " ")]:
            st, body = self.scan(variant)
            self.assertEqual((st, body["place"]), (200, "brunnen"), variant)

    def test_forged_and_foreign_codes_are_unknown(self):
        token = self.codes["rathaus"][0]
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        for code in [forged, "ABCD-EFGH", "", "../../etc/passwd"]:
            st, body = self.scan(code)
            self.assertEqual((st, body["error"]), (404, "unknown_code"), code)

    def test_answers_right_wrong_partial_and_normalised(self):
        self.scan(self.codes["rathaus"][0])
        st, body = self.answer("kaiser", "Karl")
        self.assertEqual((st, body["correct"]), (200, False))
        st, body = self.answer("kaiser", "friedrich")
        self.assertEqual(body, {"correct": False, "partial": True, "message": "Welcher Friedrich?"})
        st, body = self.answer("kaiser", "  BARBAROSSA! ")
        self.assertEqual(body, {"correct": True, "points": 10, "score": 15})
        st, body = self.answer("kaiser", "Barbarossa")
        self.assertEqual((st, body["error"]), (409, "already_solved"))
        st, body = self.answer("stufen", "42,0")
        self.assertTrue(body["correct"])
        st, body = self.answer("farbe", "Grün")
        self.assertTrue(body["correct"], body)
        self.assertEqual(self.score(), 15 + 8 + 4)

    def test_scan_puzzle_cannot_be_answered_and_unknown_puzzle_is_404(self):
        st, body = self.answer("find-rathaus", "rathaus")
        self.assertEqual((st, body["error"]), (409, "not_answerable"))
        st, body = self.answer("gibtsnicht", "x")
        self.assertEqual((st, body["error"]), (404, "unknown_puzzle"))

    def test_hint_costs_points_and_runs_out(self):
        self.scan(self.codes["rathaus"][0])
        url = "/api/hunts/test-hunt/puzzles/kaiser/hints"
        st, h = self.srv.json("POST", url, token=self.tok)
        self.assertEqual(st, 200)
        self.assertEqual(h, {"index": 0, "text": "Rotbart auf Italienisch",
                             "text_html": "<p>Rotbart auf Italienisch</p>\n", "cost": 3})
        st, h = self.srv.json("POST", url, token=self.tok)
        self.assertEqual((st, h["error"]), (404, "no_more_hints"))
        self.assertEqual(self.puzzles()["kaiser"]["hints_taken"], 1)
        st, body = self.answer("kaiser", "Barbarossa")
        self.assertEqual(body["points"], 7)
        self.assertEqual(self.score(), 12)

    def test_guess_limit_counts_distinct_wrong_answers_only(self):
        for _ in range(15):
            st, body = self.answer("stufen", "1")
            self.assertEqual(st, 200)
        for i in range(2, 11):
            st, body = self.answer("stufen", str(i))
            self.assertEqual(st, 200, i)
        st, headers, raw = self.srv.request("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                            {"answer": "99"}, token=self.tok)
        self.assertEqual(st, 429)
        self.assertEqual(json.loads(raw)["error"], "rate_limited")
        self.assertGreaterEqual(int(headers["retry-after"]), 1)
        # another team is not affected
        other, _ = new_team(self.srv, "Andere")
        st, body = self.answer("stufen", "42", tok=other)
        self.assertTrue(body["correct"])

    def test_offline_retry_with_client_id_counts_once(self):
        self.scan(self.codes["rathaus"][0])
        first = self.answer("kaiser", "Barbarossa", client_id="phone-1-a", made_at=now_iso(-30))
        again = self.answer("kaiser", "Barbarossa", client_id="phone-1-a", made_at=now_iso(-30))
        self.assertEqual(first, again)
        self.assertEqual(first[1]["correct"], True)
        self.assertEqual(self.score(), 15)
        s1 = self.scan(self.codes["brunnen"][0], client_id="scan-1")
        s2 = self.scan(self.codes["brunnen"][0], client_id="scan-1")
        self.assertEqual(s1, s2)
        st, body = self.answer("stufen", "1", client_id="bad id!")
        self.assertEqual(st, 400)
        # the same id for something else is a client's mistake, not a retry
        for st, body in (self.answer("stufen", "42", client_id="phone-1-a"),
                         self.scan(self.codes["rathaus"][0], client_id="phone-1-a"),
                         self.answer("kaiser", "Barbarossa", client_id="scan-1")):
            self.assertEqual((st, body["error"]), (409, "client_id_reused"))
        self.assertEqual(self.score(), 15)  # nothing more counted

    def test_leaderboard_ranks_by_score_then_time_then_id_with_etag(self):
        b_tok, _ = new_team(self.srv, "Bären")
        c_tok, _ = new_team(self.srv, "Cobras")
        self.answer("stufen", "42", tok=c_tok)   # Cobras 8 first
        time.sleep(0.05)  # times have millisecond resolution: make "later" unambiguous
        self.answer("stufen", "42", tok=b_tok)   # Bären 8 later
        st, headers, raw = self.srv.request("GET", "/api/hunts/test-hunt/leaderboard")
        self.assertEqual(st, 200)
        lb = json.loads(raw)
        self.assertEqual([t["name"] for t in lb["teams"]], ["Cobras", "Bären", "Spieler"])
        self.assertEqual([t["rank"] for t in lb["teams"]], [1, 2, 3])
        self.assertEqual(lb["teams"][0]["score"], 8)
        self.assertFalse(lb["frozen"])
        etag = headers["etag"]
        st, _, raw = self.srv.request("GET", "/api/hunts/test-hunt/leaderboard",
                                      headers={"If-None-Match": etag})
        self.assertEqual((st, raw), (304, b""))
        self.answer("farbe", "gruen")
        st, headers2, _ = self.srv.request("GET", "/api/hunts/test-hunt/leaderboard",
                                           headers={"If-None-Match": etag})
        self.assertEqual(st, 200)
        self.assertNotEqual(headers2["etag"], etag)
        st, lb = self.srv.json("GET", "/api/hunts/test-hunt/leaderboard?limit=1&offset=1")
        self.assertEqual([t["name"] for t in lb["teams"]], ["Bären"])
        st, _ = self.srv.json("GET", "/api/hunts/test-hunt/leaderboard?limit=abc")
        self.assertEqual(st, 400)

    def test_leaderboard_is_gzipped_for_phones_that_accept_it(self):
        for i in range(15):
            new_team(self.srv, f"Team Nummer {i}")
        url = "/api/hunts/test-hunt/leaderboard"
        st, plain_h, plain = self.srv.request("GET", url)
        st, gz_h, gz = self.srv.request("GET", url, headers={"Accept-Encoding": "gzip, br"})
        self.assertEqual((st, gz_h["content-encoding"]), (200, "gzip"))
        self.assertEqual(gzip.decompress(gz), plain)
        self.assertLess(len(gz), len(plain))
        self.assertNotEqual(gz_h["etag"], plain_h["etag"])
        st, _, _ = self.srv.request("GET", url, headers={"Accept-Encoding": "gzip",
                                                         "If-None-Match": gz_h["etag"]})
        self.assertEqual(st, 304)
        self.answer("stufen", "42")  # a change makes a new compressed body
        st, gz_h2, gz2 = self.srv.request("GET", url, headers={"Accept-Encoding": "gzip"})
        self.assertIn(b'"score":8', gzip.decompress(gz2))

    def test_event_stream_pushes_leaderboard_updates(self):
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
        s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: x\r\n\r\n")
        buf = b""
        while b"event: leaderboard" not in buf:
            buf += s.recv(65536)
        self.assertIn(b"text/event-stream", buf)
        self.answer("stufen", "42")
        deadline = time.time() + 5
        while b'"score":8' not in buf and time.time() < deadline:
            buf += s.recv(65536)
        self.assertIn(b'"score":8', buf)
        s.close()

    def read_events(self, s, buf, n, kind=b"leaderboard"):
        """Reads until n events of that kind are in buf; returns (their JSON, buf)."""
        deadline = time.time() + 5
        while buf.count(b"event: " + kind + b"\ndata: ") < n and time.time() < deadline:
            buf += s.recv(65536)
        datas = re.findall(b"event: " + kind + rb"\ndata: (.*)\n\n", buf)
        self.assertGreaterEqual(len(datas), n, buf[-500:])
        return [json.loads(d) for d in datas], buf

    def test_a_teams_stream_tells_its_own_score_and_rank_when_they_change(self):
        rival, _ = new_team(self.srv, "Rivalen")
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
        s.sendall(b"GET /api/hunts/test-hunt/events?limit=0 HTTP/1.1\r\nHost: x\r\n"
                  b"Cookie: spur_token=" + self.tok.encode() + b"\r\n\r\n")
        me, buf = self.read_events(s, b"", 1, b"me")
        want = {"score": 0, "rank": 1, "teams": 2, "solved": 0, "changes": 0,
                "hunt_state": "running"}
        self.assertEqual(me[0], want)
        self.answer("stufen", "42", tok=rival)  # the rival passes: my rank changes
        me, buf = self.read_events(s, buf, 2, b"me")
        self.assertEqual(me[1], dict(want, rank=2))
        self.answer("farbe", "gruen", tok=rival)  # the board changes, my place does not
        _, buf = self.read_events(s, buf, 3)
        self.answer("stufen", "42")
        me, buf = self.read_events(s, buf, 3, b"me")
        self.assertEqual(len(me), 3, "a change that left my score and rank alone was sent")
        self.assertEqual(me[2], dict(want, score=8, rank=2, solved=1, changes=1))
        st, mine = self.srv.json("GET", "/api/hunts/test-hunt/me", token=self.tok)
        self.assertEqual({k: mine[k] for k in want}, me[2])  # the same as /me says
        # a hint changes no board, but the team's other phones hear of it at once
        self.assertEqual(self.scan(self.codes["rathaus"][0])[0], 200)  # opens kaiser
        me, buf = self.read_events(s, buf, 4, b"me")
        self.assertEqual(me[3]["changes"], 2)
        st, _ = self.srv.json("POST", "/api/hunts/test-hunt/puzzles/kaiser/hints", {},
                              token=self.tok)
        self.assertEqual(st, 200)
        me, buf = self.read_events(s, buf, 5, b"me")
        self.assertEqual(me[4], dict(me[3], changes=3))
        s.close()
        # without a team (or with a forged token) a stream carries the board only
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
        s.sendall(b"GET /api/hunts/test-hunt/events HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer forged\r\n\r\n")
        _, buf = self.read_events(s, b"", 1)
        self.answer("farbe", "gruen")
        _, buf = self.read_events(s, buf, 2)
        self.assertNotIn(b"event: me", buf)
        s.close()

    def test_event_stream_with_a_limit_pushes_the_top_rows_only(self):
        for name in ("Erste", "Zweite", "Dritte"):
            new_team(self.srv, name)
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
        s.sendall(b"GET /api/hunts/test-hunt/events?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        events, buf = self.read_events(s, b"", 1)
        st, top1 = self.srv.json("GET", "/api/hunts/test-hunt/leaderboard?limit=1")
        self.assertEqual(events[0], top1)  # the same JSON as a GET with that limit
        self.assertEqual((len(events[0]["teams"]), events[0]["total"]), (1, 4))
        self.answer("stufen", "42")
        events, buf = self.read_events(s, buf, 2)
        self.assertEqual([(t["rank"], t["score"]) for t in events[1]["teams"]], [(1, 8)])
        s.close()

        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
        s.sendall(b"GET /api/hunts/test-hunt/events?limit=0 HTTP/1.1\r\nHost: x\r\n\r\n")
        events, _ = self.read_events(s, b"", 1)  # a change notice: state and count only
        self.assertEqual(events[0], {"state": "running", "frozen": False, "total": 4,
                                     "teams": []})
        s.close()
        st, body = self.srv.json("GET", "/api/hunts/test-hunt/events?limit=-1")
        self.assertEqual((st, body["error"]), (400, "bad_request"))

    def test_staff_endpoints_need_the_admin_token(self):
        st, body = self.srv.json("GET", "/api/admin/hunts/test-hunt/stats")
        self.assertEqual((st, body["error"]), (401, "unauthorized"))
        st, body = self.srv.json("GET", "/api/admin/hunts/test-hunt/stats", token="wrong")
        self.assertEqual(st, 401)
        self.scan(self.codes["rathaus"][0])
        st, body = self.srv.json("GET", "/api/admin/hunts/test-hunt/stats",
                                 token=self.srv.admin_token)
        self.assertEqual(st, 200)
        self.assertEqual(body["teams"], 1)
        solves = {p["id"]: p["solves"] for p in body["puzzles"]}
        self.assertEqual(solves["find-rathaus"], 1)
        scans = {p["id"]: p["scans"] for p in body["places"]}
        self.assertEqual(scans["rathaus"], 1)

    def test_export_csv_is_safe_for_spreadsheets_and_the_file_spur_export_writes(self):
        evil, _ = new_team(self.srv, "=HYPERLINK(\"x\")")
        self.answer("stufen", "42", tok=evil)
        st, headers, raw = self.srv.request("GET", "/api/admin/hunts/test-hunt/export.csv",
                                            token=self.srv.admin_token)
        self.assertEqual(st, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"))
        lines = raw.decode().splitlines()
        self.assertTrue(lines[0].startswith("rank,team_id,name,score,solved,last_solve_at,"
                                            "hints_taken,"), lines[0])
        self.assertTrue(lines[1].startswith('1,2,"\'=HYPERLINK(""x"")",8,1,'), lines[1])
        tool = subprocess.run([os.path.join(BUILD, "spur"), "export", "--db", self.srv.db,
                               "--hunt", "test-hunt"], capture_output=True, check=True).stdout
        self.assertEqual(tool, raw)  # staff and organizers get the same file


class TestCodeGuessing(unittest.TestCase):
    """Join and place codes have 40 random bits; an address that keeps sending wrong
    ones is slowed down (SPUR_CODE_FAILS_PER_MINUTE, bursts of twice that) so that
    nobody tries codes until one fits. Right codes cost nothing."""

    def test_wrong_codes_from_one_address_are_slowed_down_then_allowed_again(self):
        env = {"SPUR_CODE_FAILS_PER_MINUTE": "60"}  # a burst of 120, one more a second
        with Server(hunt_json=demo_hunt(), env=env) as srv:
            codes = qr_codes(srv)
            tok, team = new_team(srv, "Ratefuchs")
            for _ in range(3):  # right codes do not use the allowance up
                self.assertEqual(srv.json("POST", "/api/hunts/test-hunt/join",
                                          {"join_code": team["team"]["join_code"]})[0], 200)
            for i in range(40):  # wrong ones, by every door
                guess = "%d" % (i % 6 + 2)
                st, _ = srv.json("POST", "/api/hunts/test-hunt/join",
                                 {"join_code": "AAAA-AAA" + guess})
                self.assertEqual(st, 404)
                st, _ = srv.json("POST", "/api/hunts/test-hunt/scan",
                                 {"code": "BBBB-BBB" + guess}, token=tok)
                self.assertEqual(st, 404)
                st, _ = srv.json("GET", "/api/codes/CCCC-CCC" + guess)
                self.assertEqual(st, 404)
            st, headers, raw = srv.request("POST", "/api/hunts/test-hunt/scan",
                                           {"code": codes["rathaus"][1]}, token=tok)
            self.assertEqual(st, 429, raw)  # even a right code now: no oracle while blocked
            self.assertEqual(json.loads(raw)["error"], "rate_limited")
            self.assertGreaterEqual(int(headers["retry-after"]), 1)
            st, _ = srv.json("POST", "/api/hunts/test-hunt/join",
                             {"join_code": team["team"]["join_code"]})
            self.assertEqual(st, 429)
            st, _ = srv.json("GET", "/api/admin/hunts/test-hunt/stats", token=srv.admin_token)
            self.assertEqual(st, 200)  # the valid staff token is never locked out
            st, _ = srv.json("GET", "/api/admin/hunts/test-hunt/stats", token="geraten")
            self.assertEqual(st, 429)  # but a guessed one is a code like the others
            # answers are not codes: they have their own limit per team
            st, _ = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                             {"answer": "42"}, token=tok)
            self.assertEqual(st, 200)
            time.sleep(int(headers["retry-after"]) + 0.2)
            st, body = srv.json("POST", "/api/hunts/test-hunt/scan",
                                {"code": codes["rathaus"][1]}, token=tok)
            self.assertEqual((st, body["place"]), (200, "rathaus"))
            # a wrong staff token is a wrong code: it uses the one refilled
            st, _ = srv.json("GET", "/api/admin/hunts/test-hunt/stats", token="geraten")
            self.assertEqual(st, 401)
            st, _ = srv.json("GET", "/api/admin/hunts/test-hunt/stats", token="geraten")
            self.assertEqual(st, 429)


class TestDeadlines(unittest.TestCase):
    def test_not_started_hunt_refuses_answers_with_403(self):
        with Server(hunt_json=demo_hunt(starts_in=3600, ends_in=7200)) as srv:
            st, h = srv.json("GET", "/api/hunts/test-hunt")
            self.assertEqual(h["state"], "upcoming")
            tok, _ = new_team(srv, "Früh")
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42"}, token=tok)
            self.assertEqual((st, body["error"]), (403, "not_started"))
            ps = srv.json("GET", "/api/hunts/test-hunt/puzzles", token=tok)[1]
            self.assertTrue(all(p["status"] == "locked" and "clue" not in p for p in ps))

    def test_frozen_board_stops_changing_but_each_team_sees_its_score(self):
        hunt = demo_hunt(starts_in=-60, ends_in=3600)
        # time enough for a start, two teams and an answer before the freeze on a busy
        # machine (an ASan build on a shared VM has needed more than 2 s)
        hunt["freeze_at"] = now_iso(6)
        with Server(hunt_json=hunt) as srv:
            a, _ = new_team(srv, "Vorne")
            b, _ = new_team(srv, "Hinten")
            srv.json("POST", "/api/hunts/test-hunt/puzzles/farbe/answer", {"answer": "gruen"},
                     token=a)
            sleep_until(epoch(hunt["freeze_at"]) + 0.5)
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42"}, token=b)
            self.assertEqual((st, body["score"]), (200, 8))
            lb = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            self.assertEqual((lb["state"], lb["frozen"]), ("frozen", True))
            self.assertEqual([(t["name"], t["score"]) for t in lb["teams"]],
                             [("Vorne", 4), ("Hinten", 0)])
            me = srv.json("GET", "/api/hunts/test-hunt/me", token=b)[1]
            self.assertEqual((me["score"], me["rank"], me["hunt_state"]), (8, 2, "frozen"))

    def test_after_the_deadline_answers_are_403_but_late_sync_counts(self):
        hunt = demo_hunt(starts_in=-60, ends_in=SHORT_HUNT)
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Spät")
            made = now_iso(0)
            sleep_until(epoch(hunt["ends_at"]) + 0.5)
            st, h = srv.json("GET", "/api/hunts/test-hunt")
            self.assertEqual(h["state"], "over")
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42"}, token=tok)
            self.assertEqual((st, body["error"]), (403, "hunt_over"))
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42", "made_at": now_iso(0)}, token=tok)
            self.assertEqual((st, body["error"]), (403, "hunt_over"))
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42", "made_at": made, "client_id": "late-1"},
                                token=tok)
            self.assertEqual((st, body["correct"]), (200, True))
            st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "Zu spät"})
            self.assertEqual((st, body["error"]), (403, "hunt_over"))


class TestScanAhead(unittest.TestCase):
    """A scan at a place whose puzzle is still locked is kept: the puzzle counts as
    solved the moment it opens, by its requires or by its opens_at."""

    def hunt(self, opens_in):
        hunt = demo_hunt()
        hunt["puzzles"] += [
            {"id": "spaet", "title": "Später", "kind": "scan", "place": "brunnen",
             "clue": "Erst später", "points": 6, "opens_at": now_iso(opens_in)},
            {"id": "zurueck", "title": "Zurück", "kind": "scan", "place": "rathaus",
             "clue": "Noch einmal", "points": 3, "requires": ["kaiser"]},
        ]
        return hunt

    def test_a_scan_before_the_puzzle_opens_counts_when_it_opens_and_after_a_restart(self):
        hunt = self.hunt(4)
        opens = epoch(hunt["puzzles"][-2]["opens_at"])
        with Server(hunt_json=hunt) as srv:
            codes = qr_codes(srv)
            tok, _ = new_team(srv, "Früher")
            other, _ = new_team(srv, "Später")

            def puzzles(t=tok):
                return {p["id"]: p for p in srv.json("GET", "/api/hunts/test-hunt/puzzles",
                                                     token=t)[1]}

            def scan(place, t=tok):
                return srv.json("POST", "/api/hunts/test-hunt/scan",
                                {"code": codes[place][0]}, token=t)

            st, body = scan("brunnen")
            self.assertEqual((st, body["solved"], body["held"]), (200, [], ["spaet"]))
            self.assertIn("Gespeichert", body["message"])
            ps = puzzles()
            self.assertEqual((ps["spaet"]["status"], ps["spaet"]["scanned_ahead"]),
                             ("locked", True))
            self.assertNotIn("scanned_ahead", ps["zurueck"])
            # requires: held behind kaiser, solved with it
            st, body = scan("rathaus")
            self.assertEqual((body["solved"], body["unlocked"], body["held"]),
                             (["find-rathaus"], ["kaiser"], ["zurueck"]))
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/kaiser/answer",
                                {"answer": "Barbarossa"}, token=tok)
            self.assertTrue(body["correct"])
            me = srv.json("GET", "/api/hunts/test-hunt/me", token=tok)[1]
            self.assertEqual(body["score"], me["score"])  # the held puzzle's 3 points too
            ps = puzzles()
            self.assertEqual((ps["zurueck"]["status"], ps["zurueck"]["points_earned"]),
                             ("solved", 3))
            self.assertEqual(ps["spaet"]["status"], "locked")
            # the other team scans before opens_at too, and then spurd is down across it
            self.assertEqual(scan("brunnen", other)[1]["held"], ["spaet"])
            srv.stop()
            sleep_until(opens + 1.2)
            srv.start()
            self.assertEqual(puzzles(other)["spaet"]["status"], "solved")
            lb = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            self.assertEqual([(t["name"], t["score"], t["solved"]) for t in lb["teams"]],
                             [("Früher", 5 + 10 + 3 + 6, 4), ("Später", 6, 1)])
            # counted at opens_at, not at the start-up or at the next request
            self.assertEqual(lb["teams"][0]["last_solve_at"][:19], hunt["puzzles"][-2]["opens_at"][:19])
            ps = puzzles()
            self.assertEqual((ps["spaet"]["status"], ps["spaet"]["points_earned"]), ("solved", 6))
            self.assertNotIn("scanned_ahead", ps["spaet"])
            st, stats = srv.json("GET", "/api/admin/hunts/test-hunt/stats",
                                 token=srv.admin_token)
            self.assertEqual({p["id"]: p["solves"] for p in stats["puzzles"]}["spaet"], 2)
            st, _, csv = srv.request("GET", "/api/admin/hunts/test-hunt/export.csv",
                                     token=srv.admin_token)
            row = [r for r in csv.decode().splitlines() if ",\"Früher\"," in r][0].split(",")
            self.assertEqual(row[3:5], ["24", "4"])  # score, solved
            before = puzzles(), lb
            srv.restart()
            self.assertEqual((puzzles(), srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]),
                             before)

    def test_the_tick_counts_a_held_scan_when_opens_at_passes(self):
        hunt = self.hunt(3)
        opens = epoch(hunt["puzzles"][-2]["opens_at"])
        with Server(hunt_json=hunt) as srv:
            codes = qr_codes(srv)
            tok, _ = new_team(srv, "Wartend")
            st, body = srv.json("POST", "/api/hunts/test-hunt/scan",
                                {"code": codes["brunnen"][1]}, token=tok)
            self.assertEqual(body["held"], ["spaet"])
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/me", token=tok)[1]["score"], 0)
            sleep_until(opens + 1.5)
            # only the tick ran in between: the board and the stream need no request
            lb = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            self.assertEqual((lb["teams"][0]["score"], lb["teams"][0]["solved"]), (6, 1))
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/me", token=tok)[1]["score"], 6)
            # scanning again says nothing new, and holds nothing
            st, body = srv.json("POST", "/api/hunts/test-hunt/scan",
                                {"code": codes["brunnen"][1]}, token=tok)
            self.assertEqual((st, body["solved"], body["held"]), (200, [], []))


class TestDurability(unittest.TestCase):
    def test_restart_shows_exactly_the_acknowledged_state(self):
        with Server(hunt_json=demo_hunt()) as srv:
            codes = qr_codes(srv)
            tok, team = new_team(srv, "Dauerhaft")
            srv.json("POST", "/api/hunts/test-hunt/scan", {"code": codes["rathaus"][0]}, token=tok)
            srv.json("POST", "/api/hunts/test-hunt/puzzles/kaiser/hints", token=tok)
            srv.json("POST", "/api/hunts/test-hunt/puzzles/kaiser/answer",
                     {"answer": "Barbarossa", "client_id": "c1"}, token=tok)
            before = srv.json("GET", "/api/hunts/test-hunt/puzzles", token=tok)[1]
            lb_before = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            srv.restart()
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/puzzles", token=tok)[1], before)
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1], lb_before)
            st, me = srv.json("GET", "/api/hunts/test-hunt/me", token=tok)
            self.assertEqual(me["score"], 5 + 7)
            # the retry after the restart still gets the first result
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/kaiser/answer",
                                {"answer": "Barbarossa", "client_id": "c1"}, token=tok)
            self.assertEqual(body, {"correct": True, "points": 7, "score": 12})
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42", "client_id": "c1"}, token=tok)
            self.assertEqual((st, body["error"]), (409, "client_id_reused"))
            # the name stays taken, the join code still works
            st, _ = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "dauerhaft"})
            self.assertEqual(st, 409)
            st, _ = srv.json("POST", "/api/hunts/test-hunt/join",
                             {"join_code": team["team"]["join_code"]})
            self.assertEqual(st, 200)

    def test_kill_9_loses_no_acknowledged_answer(self):
        with Server(hunt_json=demo_hunt()) as srv:
            tokens = [new_team(srv, f"Team {i}")[0] for i in range(20)]
            acked = []
            stop = threading.Event()

            def play(tok):
                for ans in ["41", "40", "42"]:
                    if stop.is_set():
                        return
                    try:
                        st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                            {"answer": ans}, token=tok)
                    except OSError:
                        return
                    if st == 200 and body.get("correct"):
                        acked.append(tok)
            threads = [threading.Thread(target=play, args=(t,)) for t in tokens]
            for t in threads:
                t.start()
            time.sleep(0.05)
            srv.kill()
            stop.set()
            for t in threads:
                t.join()
            srv.start()
            for tok in acked:
                st, me = srv.json("GET", "/api/hunts/test-hunt/me", token=tok)
                self.assertEqual(me["score"], 8)

    def test_failed_commit_answers_503_and_changes_nothing(self):
        fault = None
        with Server(hunt_json=demo_hunt()) as srv:
            tok, _ = new_team(srv, "Pech")
            srv.stop()
            fault = os.path.join(srv.dir, "fault")
            srv.env["SPUR_FAULT_FILE"] = fault
            srv.start()
            open(fault, "w").close()
            st, headers, raw = srv.request("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                           {"answer": "42"}, token=tok)
            self.assertEqual(st, 503)
            self.assertEqual(json.loads(raw)["error"], "storage_failed")
            self.assertIn("retry-after", headers)
            st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "Neu"})
            self.assertEqual(st, 503)
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/me", token=tok)[1]["score"], 0)
            os.unlink(fault)
            st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                {"answer": "42"}, token=tok)
            self.assertEqual((st, body["score"]), (200, 8))
            st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "Neu"})
            self.assertEqual(st, 201)

    def test_sighup_reloads_a_changed_hunt_and_keeps_progress(self):
        hunt = demo_hunt()
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Bleibt")
            srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer", {"answer": "42"},
                     token=tok)
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            hunt["title"] = "Neuer Titel"
            hunt["puzzles"] = [p for p in hunt["puzzles"] if p["id"] != "farbe"]
            srv.import_hunt(hunt)
            srv.signal_hup()
            deadline = time.time() + 5
            while time.time() < deadline:
                if srv.json("GET", "/api/hunts/test-hunt")[1]["title"] == "Neuer Titel":
                    break
                time.sleep(0.05)
            st, h = srv.json("GET", "/api/hunts/test-hunt")
            self.assertEqual((h["title"], h["puzzle_count"]), ("Neuer Titel", 3))
            self.assertEqual(srv.json("GET", "/api/hunts/test-hunt/me", token=tok)[1]["score"], 8)
            # the connection opened before the reload still works
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertIn(b"200", s.recv(4096))
            s.close()

    def test_writes_during_a_reload_wait_and_are_judged_on_the_new_hunt(self):
        hunt = demo_hunt()
        with Server(hunt_json=hunt) as srv:
            a, _ = new_team(srv, "Vorher")
            b, _ = new_team(srv, "Mittendrin")
            hunt["puzzles"] = [p for p in hunt["puzzles"] if p["id"] != "farbe"]
            srv.import_hunt(hunt)
            lock = sqlite3.connect(srv.db, timeout=5, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")  # the writer's next commit waits, the reload behind it
            results = {}

            def post(key, path, body, tok=None):
                results[key] = srv.json("POST", "/api/hunts/test-hunt" + path, body, token=tok,
                                        timeout=20)
            threads = [threading.Thread(target=post, args=("a", "/puzzles/stufen/answer",
                                                           {"answer": "42"}, a))]
            threads[0].start()
            time.sleep(0.3)
            srv.signal_hup()  # queued behind a's commit: spurd is reloading until it is done
            time.sleep(0.3)
            for key, path, body, tok in (("b", "/puzzles/farbe/answer", {"answer": "gruen"}, b),
                                         ("new", "/teams", {"name": "Neu"}, None)):
                threads.append(threading.Thread(target=post, args=(key, path, body, tok)))
                threads[-1].start()
            time.sleep(0.3)
            self.assertEqual(set(results), set())  # all three wait
            lock.execute("ROLLBACK")
            lock.close()
            for t in threads:
                t.join()
            self.assertEqual((results["a"][0], results["a"][1]["score"]), (200, 8))
            self.assertEqual((results["b"][0], results["b"][1]["error"]), (404, "unknown_puzzle"))
            self.assertEqual(results["new"][0], 201)


if __name__ == "__main__":
    unittest.main()
