"""Black-box tests of the prize draw: a real spurd whose hunt ends a few seconds
after the test starts. The draw is refused before the deadline, made once after
it, refused the second time (also from `spur draw`), published, verified by
`spur verify-draw` and by the independent implementation tests/draw_vectors.py,
and the winners see their prize with a claim code that staff can check."""
import json
import os
import subprocess
import sys
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


class TestDraw(unittest.TestCase):
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
            cls.early_tool = spur("draw", "--db", cls.srv.db, "--hunt", HUNT, "--prize", "paket")
            sleep_until(cls.ends_at + 1.2)
            cls.first = cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "paket"},
                                     token=cls.srv.admin_token)
            cls.second = cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw",
                                      {"prize": "paket"}, token=cls.srv.admin_token)
        except BaseException:
            cls.srv.__exit__(None, None, None)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__(None, None, None)

    def record(self):
        st, rec = self.first
        self.assertEqual(st, 200, rec)
        return rec

    def save(self, name, obj):
        path = os.path.join(self.srv.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False)
        return path

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
        self.assertEqual(rprizes[0]["status"], "reserve")
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


if __name__ == "__main__":
    unittest.main()


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
