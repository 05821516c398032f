"""Insight for organizers: GET /api/admin/hunts/{h}/stats gives per puzzle the teams
that have it open, the solves, the median minutes from opening to solving, the hints
and the most frequent wrong answers (normalised, counted by team), staff test teams
left out, each puzzle's kind and how check-ins were solved (position or code); and a
restart rebuilds the same figures from the stored events."""
import sqlite3
import unittest

from spurlib import Server, now_iso
from test_checkin import BAHNHOF, RATHAUS, checkin_hunt, moved
from test_game import qr_codes

HUNT = "einblick"
STAFF = {"X-Staff-Name": "Büro"}


def hunt_file():
    return {
        "id": HUNT, "title": "Einblick", "language": "de",
        "starts_at": now_iso(-7200), "ends_at": now_iso(7200),
        "guess_limit": 64, "guess_window": 1,
        "places": [{"id": "tor", "name": "Tor"}],
        "puzzles": [
            {"id": "tor", "title": "Das Tor", "kind": "scan", "place": "tor", "points": 2},
            {"id": "kaiser", "title": "Der Kaiser", "points": 10, "requires": ["tor"],
             "answer": {"accept": ["Barbarossa"], "partial": {"Friedrich": "Welcher?"}},
             "hints": [{"text": "Rotbart", "cost": 3}]},
            {"id": "stufen", "title": "Stufen", "points": 8, "answer": {"number": 42}},
            {"id": "spaet", "title": "Später", "points": 1, "opens_at": now_iso(3600),
             "answer": {"accept": ["ja"]}},
        ],
    }


class TestInsight(unittest.TestCase):
    def post(self, srv, path, body, tok, headers=None):
        return srv.json("POST", f"/api/hunts/{HUNT}{path}", body, token=tok, headers=headers)

    def answer(self, srv, tok, puzzle, text):
        st, body = self.post(srv, f"/puzzles/{puzzle}/answer", {"answer": text}, tok)
        self.assertEqual(st, 200, body)
        return body

    def stats(self, srv, hunt=HUNT):
        st, body = srv.json("GET", f"/api/admin/hunts/{hunt}/stats", token=srv.admin_token)
        self.assertEqual(st, 200, body)
        return {p["id"]: p for p in body["puzzles"]}, body

    def test_stats_show_opened_solved_median_and_wrong_answers_of_real_teams(self):
        with Server(hunt_json=hunt_file()) as srv:
            tor = qr_codes(srv, HUNT)["tor"][1]
            teams = {}
            for name in ("A", "B", "C", "D"):
                st, body = self.post(srv, "/teams", {"name": "Team " + name}, None)
                self.assertEqual(st, 201, body)
                teams[name] = (body["token"], body["team"]["id"])
            st, body = self.post(srv, "/teams", {"name": "Probe", "test": True},
                                 srv.admin_token, headers=STAFF)
            self.assertEqual(st, 201, body)
            probe = body["token"]
            tok = {k: v[0] for k, v in teams.items()}

            # the place: A, B and C scan it (kaiser opens for them), D does not
            for who in ("A", "B", "C"):
                st, body = self.post(srv, "/scan", {"code": tor}, tok[who])
                self.assertEqual(st, 200, body)
            st, body = self.post(srv, "/scan", {"code": tor}, probe)
            self.assertEqual(st, 200, body)
            # wrong answers to the number puzzle: "41" in three spellings from three
            # teams; A's repeat counts once; the test team's does not count at all
            self.assertFalse(self.answer(srv, tok["A"], "stufen", "41")["correct"])
            self.assertTrue(self.answer(srv, tok["A"], "stufen", "41")["repeated"])
            self.answer(srv, tok["B"], "stufen", " 41 ")
            self.answer(srv, tok["C"], "stufen", "41,0")
            self.answer(srv, tok["D"], "stufen", "40")
            self.answer(srv, tok["A"], "stufen", "zweiundvierzig")
            self.answer(srv, probe, "stufen", "40")
            self.answer(srv, probe, "stufen", "39")
            # text: "Otto" and "otto!" are one text; a partial answer is listed too
            self.answer(srv, tok["A"], "kaiser", "Otto")
            self.answer(srv, tok["B"], "kaiser", "otto!")
            self.assertTrue(self.answer(srv, tok["C"], "kaiser", "Friedrich")["partial"])
            self.answer(srv, probe, "kaiser", "Otto")
            # a hint, and solves
            st, body = self.post(srv, "/puzzles/kaiser/hints", {}, tok["A"])
            self.assertEqual(st, 200, body)
            st, body = self.post(srv, "/puzzles/kaiser/hints", {}, probe)
            self.assertEqual(st, 200, body)
            for who in ("A", "B"):
                self.assertTrue(self.answer(srv, tok[who], "kaiser", "Barbarossa")["correct"])
            for who in ("A", "B", "C"):
                self.assertTrue(self.answer(srv, tok[who], "stufen", "42")["correct"])
            self.assertTrue(self.answer(srv, probe, "stufen", "42")["correct"])

            def check(p, median_stufen):
                self.assertEqual((p["tor"]["opened"], p["tor"]["solved"]), (4, 3))
                self.assertEqual((p["kaiser"]["opened"], p["kaiser"]["solved"]), (3, 2))
                self.assertEqual((p["stufen"]["opened"], p["stufen"]["solved"]), (4, 3))
                self.assertEqual((p["spaet"]["opened"], p["spaet"]["solved"]), (0, 0))
                self.assertEqual(p["kaiser"]["solves"], 2)  # as before
                self.assertEqual(p["kaiser"]["hints_taken"], 1)
                self.assertEqual(p["stufen"]["wrong_answers"],
                                 [{"text": "41", "teams": 3}, {"text": "zweiundvierzig", "teams": 1},
                                  {"text": "40", "teams": 1}])
                self.assertEqual(p["kaiser"]["wrong_answers"],
                                 [{"text": "otto", "teams": 2}, {"text": "friedrich", "teams": 1}])
                self.assertEqual(p["tor"]["wrong_answers"], [])
                self.assertIsNone(p["spaet"]["median_minutes"])
                self.assertLess(p["kaiser"]["median_minutes"], 0.5)  # seconds after the scan
                self.assertAlmostEqual(p["stufen"]["median_minutes"], median_stufen, delta=0.25)

            p, body = self.stats(srv)
            self.assertEqual((body["teams"], body["test_teams"]), (4, 1))
            check(p, 0.0)

            # The durable record says the teams joined 10, 20 and 40 minutes before
            # they solved "stufen": after a restart the median is the middle one.
            srv.stop()
            with sqlite3.connect(srv.db) as db:
                for who, minutes in (("A", 10), ("B", 20), ("C", 40)):
                    db.execute("UPDATE teams SET created_at_ms = (SELECT at_ms FROM events "
                               "WHERE team_id = ?1 AND puzzle_id = 'stufen' AND "
                               "verdict = 'correct') - ?2 WHERE id = ?1",
                               (teams[who][1], minutes * 60000))
            srv.start()
            p, body = self.stats(srv)
            check(p, 20.0)
            # and the live server goes on from there: D's first wrong "41" makes 4 teams
            self.answer(srv, tok["D"], "stufen", "41.0")
            p, _ = self.stats(srv)
            self.assertEqual(p["stufen"]["wrong_answers"][0], {"text": "41", "teams": 4})
            self.assertEqual(p["stufen"]["opened"], 4)

    def test_stats_give_each_kind_and_how_check_ins_were_solved(self):
        # am-rathaus and am-bahnhof are check-ins; the town hall's code also solves the
        # scan puzzle find-rathaus there
        with Server(hunt_json=checkin_hunt()) as srv:
            codes = qr_codes(srv, "test-hunt")
            H = "/api/hunts/test-hunt"
            teams = {}
            for name in ("A", "B", "C", "D"):
                st, body = srv.json("POST", f"{H}/teams", {"name": "Team " + name})
                self.assertEqual(st, 201, body)
                teams[name] = body["token"]
            st, body = srv.json("POST", f"{H}/teams", {"name": "Probe", "test": True},
                                token=srv.admin_token, headers=STAFF)
            self.assertEqual(st, 201, body)
            probe = body["token"]

            def checkin(tok, puzzle, pos, accuracy=10):
                st, body = srv.json("POST", f"{H}/puzzles/{puzzle}/checkin",
                                    {"lat": pos[0], "lon": pos[1], "accuracy": accuracy},
                                    token=tok)
                self.assertEqual(st, 200, body)
                return body

            def scan(tok, code):
                st, body = srv.json("POST", f"{H}/scan", {"code": code}, token=tok)
                self.assertEqual(st, 200, body)

            # by position: A at both places; the test team too (not counted)
            self.assertTrue(checkin(teams["A"], "am-rathaus", RATHAUS)["correct"])
            self.assertTrue(checkin(teams["A"], "am-bahnhof", moved(BAHNHOF, 20))["correct"])
            self.assertTrue(checkin(probe, "am-rathaus", RATHAUS)["correct"])
            # check-ins that do not count store nothing: far away, and too vague
            self.assertFalse(checkin(teams["B"], "am-rathaus", BAHNHOF)["correct"])
            self.assertFalse(checkin(teams["B"], "am-rathaus", RATHAUS, accuracy=500)["correct"])
            # by code: B types the town hall's short code, C scans its QR token; and
            # after A's check-in, A's scan of the town hall's code solves only the scan
            scan(teams["B"], codes["rathaus"][1])
            scan(teams["C"], codes["rathaus"][0])
            scan(teams["A"], codes["rathaus"][1])
            # a wrong typed answer elsewhere, to see the lists apart
            st, body = srv.json("POST", f"{H}/puzzles/stufen/answer", {"answer": "41"},
                                token=teams["D"])
            self.assertEqual(st, 200, body)

            def check():
                p, _ = self.stats(srv, "test-hunt")
                self.assertEqual({k: v["kind"] for k, v in p.items()},
                                 {"find-rathaus": "scan", "kaiser": "text", "stufen": "number",
                                  "farbe": "choice", "am-rathaus": "checkin",
                                  "am-bahnhof": "checkin"})
                self.assertEqual((p["am-rathaus"]["solved"], p["am-rathaus"]["by_position"],
                                  p["am-rathaus"]["by_code"]), (3, 1, 2))
                self.assertEqual((p["am-bahnhof"]["solved"], p["am-bahnhof"]["by_position"],
                                  p["am-bahnhof"]["by_code"]), (1, 1, 0))
                self.assertEqual(p["find-rathaus"]["solved"], 3)
                for k in ("find-rathaus", "kaiser", "stufen", "farbe"):  # only for check-ins
                    self.assertNotIn("by_position", p[k])
                    self.assertNotIn("by_code", p[k])
                # positions are no wrong answers, counted or not
                self.assertEqual(p["am-rathaus"]["wrong_answers"], [])
                self.assertEqual(p["am-bahnhof"]["wrong_answers"], [])
                self.assertEqual(p["stufen"]["wrong_answers"], [{"text": "41", "teams": 1}])

            check()
            srv.stop()  # rebuilt from the stored events alike
            srv.start()
            check()


if __name__ == "__main__":
    unittest.main()
