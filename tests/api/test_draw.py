"""Black-box tests of the prize draw: a real spurd whose hunt ends a few seconds
after the test starts. The draw is refused before the deadline, made once after
it, refused the second time (also from `spur draw`), published, verified by
`spur verify-draw` and by the independent implementation tests/draw_vectors.py,
and the winners see their prize with a claim code that staff can check. A hunt
with a draw_beacon is drawn with the public value staff enter (spur-draw-v2), and
every prize's eligible_sha256 is public from the end on."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from spurlib import BUILD, SHORT_HUNT, Server, demo_hunt, epoch, sleep_until

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import draw_vectors  # noqa: E402  (tests/draw_vectors.py)

HUNT = "test-hunt"


def spur(*args):
    return subprocess.run([os.path.join(BUILD, "spur"), *args], capture_output=True, text=True,
                          timeout=60)


def hunt_file():
    h = demo_hunt(starts_in=-60, ends_in=SHORT_HUNT)
    h["late_sync_grace"] = 0
    h["prizes"] = [
        {"id": "paket", "name": "Kaiserslautern-Paket", "count": 1, "reserves": 1,
         "eligible": "all"},
        {"id": "sachpreis", "name": "Kleiner Sachpreis", "count": "all", "eligible": "all"},
        {"id": "urkunde", "name": "Urkunde", "count": 1, "eligible": {"min_score": 5}},
    ]
    return h


class DrawCase(unittest.TestCase):
    """A class of tests sharing one spurd (cls.srv, started by setUpClass)."""

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__(None, None, None)

    def save(self, name, obj):
        """Writes obj as JSON into the server's folder; returns the path."""
        path = os.path.join(self.srv.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False)
        return path


class TestDraw(DrawCase):
    @classmethod
    def setUpClass(cls):
        cls.hunt = hunt_file()
        cls.ends_at = epoch(cls.hunt["ends_at"])
        cls.srv = Server(hunt_json=cls.hunt).__enter__()
        cls.teams = {}
        try:
            for name, answers in (("Füchse", [("stufen", "42")]),
                                  ("Eulen", [("farbe", "gruen")]),
                                  ("Schläfer", [])):
                st, body = cls.srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": name})
                assert st == 201, (st, body)
                cls.teams[name] = (body["team"]["id"], body["token"])
                for pid, ans in answers:
                    st, res = cls.srv.json("POST", f"/api/hunts/{HUNT}/puzzles/{pid}/answer",
                                           {"answer": ans}, token=body["token"])
                    assert st == 200 and res["correct"], (st, res)
            # before the deadline: refused
            cls.early = cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "paket"},
                                     token=cls.srv.admin_token)
            cls.early_get = cls.srv.json("GET", f"/api/hunts/{HUNT}/draw")
            cls.early_hunt = cls.srv.json("GET", f"/api/hunts/{HUNT}")
            cls.early_tool = spur("draw", "--db", cls.srv.db, "--hunt", HUNT, "--prize", "paket")
            sleep_until(cls.ends_at + 1.2)
            cls.first = cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "paket"},
                                     token=cls.srv.admin_token)
            cls.second = cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw",
                                      {"prize": "paket"}, token=cls.srv.admin_token)
        except BaseException:
            cls.srv.__exit__(None, None, None)
            raise

    def record(self):
        st, rec = self.first
        self.assertEqual(st, 200, rec)
        return rec

    def me(self, team):
        st, body = self.srv.json("GET", f"/api/hunts/{HUNT}/me", token=self.teams[team][1])
        self.assertEqual(st, 200)
        return body

    def test_draw_before_the_deadline_is_refused(self):
        st, body = self.early
        self.assertEqual(st, 409)
        self.assertEqual(body["error"], "draw_too_early")
        self.assertEqual(self.early_get[0], 404)
        self.assertEqual(self.early_get[1]["error"], "no_draw")
        self.assertEqual(self.early_tool.returncode, 1, self.early_tool.stderr)
        self.assertIn("too early", self.early_tool.stderr)

    def test_draw_after_the_deadline_picks_among_teams_that_scored(self):
        rec = self.record()
        fox, owl = self.teams["Füchse"][0], self.teams["Eulen"][0]
        self.assertEqual(rec["algorithm"], "spur-draw-v1")
        self.assertEqual(rec["hunt"], HUNT)
        self.assertEqual(rec["prize"], "paket")
        self.assertEqual(rec["prize_name"], "Kaiserslautern-Paket")
        self.assertEqual(rec["rule"], "all")
        self.assertEqual((rec["count"], rec["reserves"]), (1, 1))
        self.assertEqual(rec["eligible"], ["%d\t1" % i for i in sorted([fox, owl])])
        self.assertEqual(sorted(rec["winners"] + rec["reserve_winners"]), sorted([fox, owl]))
        self.assertEqual(len(rec["winners"]), 1)
        self.assertEqual(rec["names"], {str(fox): "Füchse", str(owl): "Eulen"})
        self.assertRegex(rec["drawn_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        st, h = self.srv.json("GET", f"/api/hunts/{HUNT}")
        self.assertEqual(rec["commitment"], h["draw_commitment"])

    def test_record_verifies_with_the_independent_implementation(self):
        rec = self.record()
        st, h = self.srv.json("GET", f"/api/hunts/{HUNT}")
        self.assertEqual(draw_vectors.verify(rec, h["draw_commitment"]), [])

    def test_second_draw_of_a_prize_is_refused(self):
        self.record()
        st, body = self.second
        self.assertEqual(st, 409)
        self.assertEqual(body["error"], "already_drawn")

    def test_draw_needs_the_staff_token_and_a_known_prize(self):
        st, body = self.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "paket"})
        self.assertEqual(st, 401)
        st, body = self.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "nope"},
                                 token=self.srv.admin_token)
        self.assertEqual((st, body["error"]), (404, "unknown_prize"))
        st, body = self.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"preis": "paket"},
                                 token=self.srv.admin_token)
        self.assertEqual(st, 400)

    def test_a_beacon_for_a_hunt_without_draw_beacon_is_refused(self):
        st, body = self.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw",
                                 {"prize": "paket", "beacon": "1 2 3"},
                                 token=self.srv.admin_token)
        self.assertEqual((st, body["error"]), (400, "bad_request"))
        self.assertIn("draw_beacon", body["message"])
        r = spur("draw", "--db", self.srv.db, "--hunt", HUNT, "--prize", "urkunde",
                 "--beacon", "1 2 3")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("keinen draw_beacon", r.stderr)

    def test_eligible_sha256_is_public_after_the_end_and_equals_the_records(self):
        rec = self.record()
        st, h1 = self.srv.json("GET", f"/api/hunts/{HUNT}")
        st, h2 = self.srv.json("GET", f"/api/hunts/{HUNT}")
        self.assertEqual(h1["state"], "over")
        self.assertNotIn("draw_beacon", h1)
        prizes = {p["id"]: p for p in h1["prizes"]}
        self.assertEqual(prizes["paket"]["eligible_sha256"], rec["eligible_sha256"])
        self.assertEqual(prizes["paket"]["eligible_count"], len(rec["eligible"]))
        self.assertEqual((prizes["paket"]["count"], prizes["paket"]["reserves"]), (1, 1))
        self.assertEqual(prizes["paket"]["eligible"], "all")
        self.assertTrue(prizes["paket"]["drawn"])
        self.assertEqual((prizes["urkunde"]["eligible"], prizes["urkunde"]["min_score"]),
                         ("min_score", 5))
        self.assertEqual(prizes["urkunde"]["eligible_count"], 1)
        self.assertEqual(prizes["sachpreis"]["count"], "all")
        self.assertEqual([p["eligible_sha256"] for p in h1["prizes"]],
                         [p["eligible_sha256"] for p in h2["prizes"]])
        self.assertEqual(rec["excluded"], [])

    def test_prizes_before_the_end_have_no_eligible_hash(self):
        st, h = self.early_hunt
        self.assertEqual(st, 200)
        self.assertEqual(h["state"], "running")
        self.assertEqual([p["id"] for p in h["prizes"]], ["paket", "sachpreis", "urkunde"])
        for p in h["prizes"]:
            self.assertNotIn("eligible_sha256", p)
            self.assertNotIn("eligible_count", p)
            self.assertFalse(p["drawn"])

    def test_published_records_are_public(self):
        rec = self.record()
        st, doc = self.srv.json("GET", f"/api/hunts/{HUNT}/draw")
        self.assertEqual(st, 200)
        self.assertEqual(doc["hunt"], HUNT)
        self.assertEqual(doc["commitment"], rec["commitment"])
        self.assertIn(rec, doc["draws"])

    def test_spur_verify_draw_says_verified_and_catches_tampering(self):
        rec = self.record()
        r = spur("verify-draw", self.save("record.json", rec))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("VERIFIED", r.stdout)
        st, doc = self.srv.json("GET", f"/api/hunts/{HUNT}/draw")
        r = spur("verify-draw", self.save("document.json", doc))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("NOT VERIFIED", r.stdout)

        bad = dict(rec, winners=rec["reserve_winners"], reserve_winners=rec["winners"])
        r = spur("verify-draw", self.save("tampered.json", bad))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("NOT VERIFIED", r.stdout)
        self.assertIn("winners differ: record says %s, recomputed %s" %
                      (bad["winners"], rec["winners"]), r.stdout)
        self.assertIn("Gewinner weichen ab", r.stdout)  # German first
        # a record from before "excluded" existed still verifies
        old = {k: v for k, v in rec.items() if k != "excluded"}
        r = spur("verify-draw", self.save("old.json", old))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(draw_vectors.verify(old), [])
        r = spur("verify-draw", "--commitment", "ab" * 32, self.save("record2.json", rec))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("commitment published before the draw", r.stdout)

    def test_winner_sees_the_prize_with_a_claim_code_and_staff_can_check_it(self):
        rec = self.record()
        by_id = {tid: name for name, (tid, _) in self.teams.items()}
        winner, reserve = by_id[rec["winners"][0]], by_id[rec["reserve_winners"][0]]
        prizes = [p for p in self.me(winner)["prizes"] if p["prize"] == "paket"]
        self.assertEqual(len(prizes), 1)
        self.assertEqual(prizes[0]["status"], "winner")
        self.assertEqual(prizes[0]["name"], "Kaiserslautern-Paket")
        self.assertRegex(prizes[0]["claim_code"], r"^[A-Z2-7]{4}-[A-Z2-7]{4}$")
        rprizes = [p for p in self.me(reserve)["prizes"] if p["prize"] == "paket"]
        self.assertFalse(prizes[0]["reserve"])
        self.assertNotIn("reserve_rank", prizes[0])
        # a reserve is in line for the prize, not a winner of it
        self.assertEqual(rprizes[0]["status"], "reserve")
        self.assertTrue(rprizes[0]["reserve"])
        self.assertEqual(rprizes[0]["reserve_rank"], 1)
        self.assertNotEqual(rprizes[0]["claim_code"], prizes[0]["claim_code"])
        self.assertEqual([p for p in self.me("Schläfer")["prizes"] if p["prize"] == "paket"], [])

        code = prizes[0]["claim_code"]
        typed = code.lower().replace("-", "")
        st, c = self.srv.json("GET", f"/api/admin/hunts/{HUNT}/claims/{typed}",
                              token=self.srv.admin_token)
        self.assertEqual(st, 200, c)
        self.assertEqual(c["code"], code)
        self.assertEqual(c["status"], "winner")
        self.assertEqual(c["prize"], "paket")
        self.assertEqual(c["team"], {"id": rec["winners"][0], "name": winner})
        st, c = self.srv.json("GET", f"/api/admin/hunts/{HUNT}/claims/{rprizes[0]['claim_code']}",
                              token=self.srv.admin_token)
        self.assertEqual((st, c["status"], c["reserve_rank"]), (200, "reserve", 1))
        st, c = self.srv.json("GET", f"/api/admin/hunts/{HUNT}/claims/AAAA-AAAA",
                              token=self.srv.admin_token)
        self.assertEqual((st, c["error"]), (404, "unknown_code"))
        st, c = self.srv.json("GET", f"/api/admin/hunts/{HUNT}/claims/nope",
                              token=self.srv.admin_token)
        self.assertEqual(st, 400)
        st, c = self.srv.json("GET", f"/api/admin/hunts/{HUNT}/claims/{code}")
        self.assertEqual(st, 401)

        r = spur("claim", "--db", self.srv.db, "--hunt", HUNT, typed)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("won paket", r.stdout)
        r = spur("claim", "--db", self.srv.db, "--hunt", HUNT, "AAAA-AAAA")
        self.assertEqual(r.returncode, 1)

    def test_spur_draw_refuses_a_prize_spurd_drew_and_prints_its_record(self):
        rec = self.record()
        r = spur("draw", "--db", self.srv.db, "--hunt", HUNT, "--prize", "paket")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("drawn before", r.stderr)
        self.assertEqual(json.loads(r.stdout), rec)

    def test_a_draw_by_spur_draw_is_final_for_spurd_too_and_survives_a_restart(self):
        self.record()
        r = spur("draw", "--db", self.srv.db, "--hunt", HUNT, "--prize", "sachpreis")
        self.assertEqual(r.returncode, 0, r.stderr)
        tool_rec = json.loads(r.stdout)
        self.assertEqual(tool_rec["count"], "all")
        self.assertEqual(tool_rec["reserve_winners"], [])
        self.assertEqual(sorted(tool_rec["winners"]),
                         sorted([self.teams["Füchse"][0], self.teams["Eulen"][0]]))
        self.assertEqual(draw_vectors.verify(tool_rec), [])
        # spurd refuses it and from then on publishes the stored record
        st, body = self.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "sachpreis"},
                                 token=self.srv.admin_token)
        self.assertEqual((st, body["error"]), (409, "already_drawn"))
        st, doc = self.srv.json("GET", f"/api/hunts/{HUNT}/draw")
        self.assertIn(tool_rec, doc["draws"])
        # a min_score prize names its threshold
        st, urk = self.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "urkunde"},
                                token=self.srv.admin_token)
        self.assertEqual(st, 200, urk)
        self.assertEqual((urk["rule"], urk["min_score"]), ("min_score", 5))
        self.assertEqual(urk["eligible"], ["%d\t1" % self.teams["Füchse"][0]])
        self.srv.restart()
        st, doc2 = self.srv.json("GET", f"/api/hunts/{HUNT}/draw")
        self.assertEqual(st, 200)
        self.assertEqual(doc2["draws"], doc["draws"] + [urk])
        r = spur("verify-draw", self.save("all.json", doc2))
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("3 of 3 records verified", r.stdout)



class TestDrawAnnounced(unittest.TestCase):
    """Phones with the app open at the prize ceremony hear of each draw on their event
    stream (`event: draw`), whether staff drew in the console or with `spur draw`
    and a SIGHUP, and each draw only once."""

    def test_open_apps_are_told_of_each_draw_once(self):
        hunt = hunt_file()
        with Server(hunt_json=hunt) as srv:
            st, body = srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": "Zuschauer"})
            self.assertEqual(st, 201)
            st, _ = srv.json("POST", f"/api/hunts/{HUNT}/puzzles/stufen/answer",
                             {"answer": "42"}, token=body["token"])
            self.assertEqual(st, 200)
            s = srv.connect(timeout=5)
            s.sendall(b"GET /api/hunts/" + HUNT.encode() + b"/events?limit=0 HTTP/1.1\r\n"
                      b"Host: t\r\nCookie: spur_token=" + body["token"].encode() + b"\r\n\r\n")
            buf = b""

            def read_until(marker):
                nonlocal buf
                deadline = time.monotonic() + 5
                while marker not in buf and time.monotonic() < deadline:
                    buf += s.recv(65536)
                self.assertIn(marker, buf)
            read_until(b"event: leaderboard")
            sleep_until(epoch(hunt["ends_at"]) + 1.2)
            st, _ = srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "paket"},
                             token=srv.admin_token)
            self.assertEqual(st, 200)
            read_until(b'event: draw\ndata: {"prize":"paket"}\n\n')
            r = spur("draw", "--db", srv.db, "--hunt", HUNT, "--prize", "sachpreis")
            self.assertEqual(r.returncode, 0, r.stderr)
            srv.signal_hup()
            read_until(b'event: draw\ndata: {"prize":"sachpreis"}\n\n')
            time.sleep(1.5)  # more ticks: nothing is told twice
            s.settimeout(0.2)
            try:
                buf += s.recv(65536)
            except OSError:
                pass
            s.close()
            self.assertEqual(buf.count(b"event: draw\n"), 2)


BEACON_SOURCE = "Lotto 6aus49, Ziehung am Samstag nach dem Ende: die sechs Zahlen und die Superzahl"
BEACON = "3 11 19 27 35 49 Superzahl 7"


class TestDrawBeacon(DrawCase):
    """A hunt with a draw_beacon: the draw waits for the public value, which staff
    enter; the record is spur-draw-v2, names the value and its source, and verifies
    with `spur verify-draw` and the independent implementation; a wrong beacon is
    named as such."""

    @classmethod
    def setUpClass(cls):
        cls.hunt = hunt_file()
        cls.hunt["draw_beacon"] = BEACON_SOURCE
        cls.srv = Server(hunt_json=cls.hunt).__enter__()
        try:
            cls.ids = []
            for name, ans in (("Adler", "42"), ("Biber", "42"), ("Dachse", "42")):
                st, body = cls.srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": name})
                assert st == 201, (st, body)
                cls.ids.append(body["team"]["id"])
                st, res = cls.srv.json("POST", f"/api/hunts/{HUNT}/puzzles/stufen/answer",
                                       {"answer": ans}, token=body["token"])
                assert st == 200 and res["correct"], (st, res)
            cls.before = cls.srv.json("GET", f"/api/hunts/{HUNT}")
            sleep_until(epoch(cls.hunt["ends_at"]) + 1.2)
            cls.hunt_after = [cls.srv.json("GET", f"/api/hunts/{HUNT}") for _ in range(2)]
            post = lambda body: cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", body,
                                            token=cls.srv.admin_token)
            cls.missing = post({"prize": "paket"})
            cls.empty = post({"prize": "paket", "beacon": ""})
            cls.control = post({"prize": "paket", "beacon": "3 11\n19"})
            cls.too_long = post({"prize": "paket", "beacon": "7" * 257})
            cls.tool_missing = spur("draw", "--db", cls.srv.db, "--hunt", HUNT, "--prize", "paket")
            cls.drawn = post({"prize": "paket", "beacon": BEACON})
            cls.hunt_drawn = cls.srv.json("GET", f"/api/hunts/{HUNT}")
        except BaseException:
            cls.srv.__exit__(None, None, None)
            raise

    def record(self):
        st, rec = self.drawn
        self.assertEqual(st, 200, rec)
        return rec

    def test_the_hunt_names_its_beacon_from_the_start(self):
        st, h = self.before
        self.assertEqual(st, 200)
        self.assertEqual(h["draw_beacon"], BEACON_SOURCE)
        self.assertRegex(h["draw_from"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn("eligible_sha256", h["prizes"][0])

    def test_a_draw_without_the_beacon_is_refused(self):
        for st, body in (self.missing, self.empty):
            self.assertEqual((st, body["error"]), (400, "beacon_required"))
            self.assertIn("öffentlichen Zufallswert", body["message"])
        for st, body in (self.control, self.too_long):
            self.assertEqual((st, body["error"]), (400, "bad_request"))
            self.assertIn("256", body["message"])
        self.assertEqual(self.tool_missing.returncode, 2, self.tool_missing.stderr)
        self.assertIn("--beacon", self.tool_missing.stderr)

    def test_the_record_is_v2_and_its_hash_was_public_before_the_draw(self):
        rec = self.record()
        self.assertEqual(rec["algorithm"], "spur-draw-v2")
        self.assertEqual(rec["beacon"], BEACON)
        self.assertEqual(rec["beacon_description"], BEACON_SOURCE)
        self.assertEqual(rec["excluded"], [])
        self.assertEqual(rec["eligible"], ["%d\t1" % i for i in sorted(self.ids)])
        for st, h in self.hunt_after:
            paket = [p for p in h["prizes"] if p["id"] == "paket"][0]
            self.assertEqual(paket["eligible_sha256"], rec["eligible_sha256"])
            self.assertEqual(paket["eligible_count"], 3)
            self.assertFalse(paket["drawn"])
        self.assertTrue([p for p in self.hunt_drawn[1]["prizes"] if p["id"] == "paket"][0]["drawn"])
        # the same teams and seed without the beacon would be the v1 draw: the key differs
        seed = bytes.fromhex(rec["seed"])
        self.assertEqual(draw_vectors.draw(seed, self.ids, "paket", 1, 1, BEACON),
                         (rec["winners"], rec["reserve_winners"]))

    def test_spur_verify_draw_checks_the_beacon(self):
        rec = self.record()
        path = self.save("v2.json", rec)
        r = spur("verify-draw", path, "--beacon", BEACON, "--commitment", rec["commitment"])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("VERIFIZIERT / VERIFIED", r.stdout)
        self.assertEqual(draw_vectors.verify(rec, rec["commitment"], BEACON), [])
        # the source announced other numbers than the record holds
        r = spur("verify-draw", path, "--beacon", "1 2 3 4 5 6 Superzahl 0")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("NICHT VERIFIZIERT / NOT VERIFIED", r.stdout)
        self.assertIn("Zufallswert weicht ab", r.stdout)
        self.assertIn('beacon differs: record says "%s", the public source gave '
                      '"1 2 3 4 5 6 Superzahl 0"' % BEACON, r.stdout)
        # a record whose beacon was changed afterwards no longer gives its winners
        seed = bytes.fromhex(rec["seed"])
        forged = next(b for b in ("%d 11 19 27 35 49 Superzahl 7" % i for i in range(1, 50))
                      if draw_vectors.draw(seed, self.ids, "paket", 1, 1, b) !=
                      (rec["winners"], rec["reserve_winners"]))
        r = spur("verify-draw", self.save("forged.json", dict(rec, beacon=forged)))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("differ: record says", r.stdout)
        self.assertNotEqual(draw_vectors.verify(dict(rec, beacon=forged)), [])
        # and a v2 record passed off as v1 is caught
        r = spur("verify-draw", self.save("v1.json", dict(rec, algorithm="spur-draw-v1")))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("a spur-draw-v1 record has no beacon", r.stdout)


class TestDrawBeaconInTheHuntFile(unittest.TestCase):
    def test_spur_check_explains_a_bad_draw_beacon_in_german_and_english(self):
        with tempfile.TemporaryDirectory() as tmp:
            for bad in ("", "x" * 301, "zwei\nZeilen", 7):
                h = hunt_file()
                h["draw_beacon"] = bad
                path = os.path.join(tmp, "hunt.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(h, f)
                r = spur("check", path)
                self.assertEqual(r.returncode, 1, (bad, r.stdout, r.stderr))
                self.assertIn("draw_beacon", r.stdout + r.stderr)
                if isinstance(bad, str):
                    self.assertIn("Zufallsquelle", r.stdout + r.stderr)
                    self.assertIn("public random value", r.stdout + r.stderr)
            h = hunt_file()
            h["draw_beacon"] = "ü" * 300
            with open(path, "w", encoding="utf-8") as f:
                json.dump(h, f)
            r = spur("check", path)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
