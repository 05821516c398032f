"""Check-in puzzles (issue 13): "kind": "checkin" at a place with lat/lon is solved by
the phone's position (POST .../checkin), by the place's QR code or short code. The
server judges by great-circle distance with the phone's accuracy as benefit of the
doubt; a check-in that does not count stores nothing; one that implies more than
50 km/h since the team's previous check-in counts but is flagged for staff. A real
spurd over sockets."""
import math
import unittest

from spurlib import ADMIN_TOKEN, Server, demo_hunt
from test_game import new_team, qr_codes
from test_tool import spur

H = "/api/hunts/test-hunt"
RATHAUS = (49.4447, 7.7690)
BAHNHOF = (49.4360, 7.7680)  # about 970 m south of the town hall
M_PER_DEG = 6371008.8 * math.pi / 180


def moved(pos, north_m=0.0, east_m=0.0):
    """pos moved by metres north and east (small distances)."""
    lat, lon = pos
    return (lat + north_m / M_PER_DEG, lon + east_m / (M_PER_DEG * math.cos(math.radians(lat))))


def checkin_hunt():
    hunt = demo_hunt()
    hunt["places"].append({"id": "bahnhof", "name": "Bahnhof", "lat": BAHNHOF[0],
                           "lon": BAHNHOF[1]})
    hunt["puzzles"] += [
        {"id": "am-rathaus", "title": "Am Rathaus", "kind": "checkin", "place": "rathaus",
         "clue": "Geht zum Rathaus.", "points": 6},
        {"id": "am-bahnhof", "title": "Am Bahnhof", "kind": "checkin", "place": "bahnhof",
         "radius": 50, "clue": "Geht zum Bahnhof.", "points": 7},
    ]
    return hunt


class TestCheckin(unittest.TestCase):
    def setUp(self):
        self.srv = Server(hunt_json=checkin_hunt()).__enter__()
        self.tok, _ = new_team(self.srv, "Wanderer")

    def tearDown(self):
        self.srv.__exit__(None, None, None)

    def checkin(self, puzzle, pos, accuracy=10, tok=None, **extra):
        body = dict(lat=pos[0], lon=pos[1], accuracy=accuracy, **extra)
        return self.srv.json("POST", f"{H}/puzzles/{puzzle}/checkin", body,
                             token=tok or self.tok)

    def puzzles(self):
        st, body = self.srv.json("GET", f"{H}/puzzles", token=self.tok)
        return {p["id"]: p for p in body}

    def test_at_the_place_it_counts_like_a_correct_answer_and_survives_a_restart(self):
        st, body = self.checkin("am-rathaus", moved(RATHAUS, 12, -5), client_id="ci-1")
        self.assertEqual((st, body), (200, {"correct": True, "points": 6, "score": 6}))
        self.assertEqual(self.puzzles()["am-rathaus"]["status"], "solved")
        # a retry from the phone's queue gets the same reply
        st, headers, raw = self.srv.request(
            "POST", f"{H}/puzzles/am-rathaus/checkin",
            {"lat": RATHAUS[0], "lon": RATHAUS[1], "accuracy": 10, "client_id": "ci-1"},
            token=self.tok)
        self.assertEqual((st, headers.get("x-spur-replay")), (200, "1"))
        st, body = self.checkin("am-rathaus", RATHAUS)
        self.assertEqual((st, body["error"]), (409, "already_solved"))
        self.srv.restart()
        self.assertEqual(self.puzzles()["am-rathaus"]["status"], "solved")
        self.assertEqual(self.srv.json("GET", f"{H}/me", token=self.tok)[1]["score"], 6)

    def test_too_far_says_how_far_and_where_and_stores_nothing(self):
        st, body = self.checkin("am-rathaus", moved(RATHAUS, north_m=-121))
        self.assertEqual(st, 200)
        self.assertFalse(body["correct"])
        self.assertEqual(body["distance_m"], 120)  # rounded to 10 m
        self.assertEqual(body["bearing"], 0)  # the town hall is to the north
        self.assertEqual(body["message"], "Noch etwa 120 m nach Norden.")
        st, body = self.checkin("am-rathaus", moved(RATHAUS, east_m=-300))
        self.assertEqual((body["distance_m"], body["bearing"]), (300, 90))
        self.assertEqual(self.puzzles()["am-rathaus"]["status"], "open")

    def test_accuracy_is_benefit_of_the_doubt_up_to_one_radius(self):
        # 50 m away, accurate to 25 m: 50 - 25 <= 30 counts
        st, body = self.checkin("am-rathaus", moved(RATHAUS, 50), accuracy=25)
        self.assertTrue(body["correct"], body)
        # 70 m away, accurate to 90 m: at most one radius (30) of doubt, 40 > 30
        tok, _ = new_team(self.srv, "Zweites Team")
        st, body = self.checkin("am-rathaus", moved(RATHAUS, 70), accuracy=90, tok=tok)
        self.assertEqual((body["correct"], body["distance_m"]), (False, 70))

    def test_a_vague_position_gives_advice(self):
        st, body = self.checkin("am-rathaus", RATHAUS, accuracy=250)
        self.assertEqual(st, 200)
        self.assertEqual((body["correct"], body["reason"]), (False, "poor_accuracy"))
        self.assertEqual((body["accuracy_m"], body["max_accuracy_m"]), (250, 100))
        self.assertIn("Code", body["message"])
        st, body = self.srv.json("POST", f"{H}/puzzles/am-rathaus/checkin",
                                 {"lat": RATHAUS[0], "lon": RATHAUS[1], "accuracy": 250},
                                 token=self.tok, headers={"Accept-Language": "en"})
        self.assertIn("type the code", body["message"])

    def test_malformed_positions_are_400(self):
        for bad in ({"lat": 91, "lon": 7, "accuracy": 5}, {"lat": 49, "lon": -180.5, "accuracy": 5},
                    {"lat": "49.4", "lon": 7.7, "accuracy": 5}, {"lat": 49.4, "lon": 7.7},
                    {"lat": 49.4, "lon": 7.7, "accuracy": -1},
                    {"lat": None, "lon": 7.7, "accuracy": 5}):
            st, body = self.srv.json("POST", f"{H}/puzzles/am-rathaus/checkin", bad,
                                     token=self.tok)
            self.assertEqual((st, body["error"]), (400, "bad_position"), bad)
        for raw in ('{"lat": NaN, "lon": 7, "accuracy": 5}',
                    '{"lat": 1e999, "lon": 7, "accuracy": 5}'):
            st, _, _ = self.srv.request("POST", f"{H}/puzzles/am-rathaus/checkin", raw,
                                        token=self.tok,
                                        headers={"Content-Type": "application/json"})
            self.assertEqual(st, 400, raw)
        st, body = self.srv.json("POST", f"{H}/puzzles/am-rathaus/checkin",
                                 {"lat": 49, "lon": 7, "accuracy": 5, "extra": 1}, token=self.tok)
        self.assertEqual(st, 400)
        self.assertTrue(self.srv.alive())

    def test_only_checkin_puzzles_take_positions_and_they_take_no_answers(self):
        st, body = self.checkin("stufen", RATHAUS)
        self.assertEqual((st, body["error"]), (409, "not_checkin"))
        st, body = self.srv.json("POST", f"{H}/puzzles/am-rathaus/answer", {"answer": "x"},
                                 token=self.tok)
        self.assertEqual((st, body["error"]), (409, "not_answerable"))
        st, body = self.checkin("nope", RATHAUS)
        self.assertEqual((st, body["error"]), (404, "unknown_puzzle"))
        st, body = self.srv.json("POST", f"{H}/puzzles/am-rathaus/checkin",
                                 {"lat": 49, "lon": 7, "accuracy": 5})
        self.assertEqual(st, 401)

    def test_the_places_code_solves_the_checkin_too(self):
        codes = qr_codes(self.srv)
        st, body = self.srv.json("POST", f"{H}/scan", {"code": codes["rathaus"][1]},
                                 token=self.tok)
        self.assertEqual(st, 200)
        self.assertIn("am-rathaus", body["solved"])
        self.assertEqual(self.puzzles()["am-rathaus"]["status"], "solved")

    def test_the_puzzle_list_names_the_kind_and_place_position(self):
        p = self.puzzles()["am-bahnhof"]
        self.assertEqual(p["kind"], "checkin")
        self.assertEqual((p["place"]["lat"], p["place"]["lon"]), BAHNHOF)

    def test_the_hunt_names_its_map_tiles_and_accuracy_limit(self):
        st, body = self.srv.json("GET", H)
        self.assertEqual(st, 200)
        self.assertEqual(body["map"]["tiles"], "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
        self.assertIn("OpenStreetMap", body["map"]["attribution"])
        self.assertEqual(body["max_accuracy"], 100)
        hunt = checkin_hunt()
        hunt["map"] = {"tiles": "https://karte.example.org/{z}/{x}/{y}.png",
                       "attribution": "Karte: Stadtvermessung"}
        hunt["max_accuracy"] = 60
        with Server(hunt_json=hunt) as srv:
            st, body = srv.json("GET", H)
        self.assertEqual(body["map"], hunt["map"])
        self.assertEqual(body["max_accuracy"], 60)

    def test_too_fast_counts_but_is_flagged_for_staff(self):
        st, body = self.checkin("am-rathaus", RATHAUS)
        self.assertTrue(body["correct"])
        # about 970 m a moment later: far more than 50 km/h
        st, body = self.checkin("am-bahnhof", BAHNHOF)
        self.assertTrue(body["correct"])
        st, body = self.srv.json("GET", "/api/admin/hunts/test-hunt/flags")
        self.assertEqual(st, 401)
        st, body = self.srv.json("GET", "/api/admin/hunts/test-hunt/flags", token=ADMIN_TOKEN)
        self.assertEqual(st, 200)
        self.assertEqual(body["limit_kmh"], 50)
        self.assertEqual(len(body["flags"]), 1)
        flag = body["flags"][0]
        self.assertEqual((flag["team"]["name"], flag["puzzle"], flag["previous_puzzle"]),
                         ("Wanderer", "am-bahnhof", "am-rathaus"))
        self.assertGreater(flag["kmh"], 50)
        self.assertAlmostEqual(flag["distance_m"], 970, delta=15)
        # a walker is not flagged
        tok, _ = new_team(self.srv, "Spaziergang")
        self.checkin("am-rathaus", RATHAUS, tok=tok)
        st, body = self.srv.json("GET", "/api/admin/hunts/test-hunt/flags", token=ADMIN_TOKEN)
        self.assertEqual(len(body["flags"]), 1)


class TestCheckinFile(unittest.TestCase):
    """spur check: a check-in needs a place with a position and a sane radius."""

    def check(self, hunt):
        import json
        import os
        import tempfile
        d = tempfile.mkdtemp(prefix="spur-checkin-")
        path = os.path.join(d, "hunt.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(hunt, f, indent=2)
        r = spur("check", path)
        os.unlink(path)
        os.rmdir(d)
        return r

    def test_good_file_passes(self):
        r = self.check(checkin_hunt())
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_place_without_position_and_bad_radius_are_errors(self):
        hunt = checkin_hunt()
        del hunt["places"][2]["lat"], hunt["places"][2]["lon"]
        hunt["puzzles"][-2]["radius"] = 5
        hunt["puzzles"][0]["radius"] = 40  # a scan puzzle
        r = self.check(hunt)
        self.assertEqual(r.returncode, 1)
        self.assertIn('a check-in puzzle\'s place needs "lat" and "lon": place "bahnhof" has none',
                      r.stderr)
        self.assertIn('"radius" must be', r.stderr)
        self.assertIn('only a check-in puzzle ("kind": "checkin") has a "radius"', r.stderr)
        hunt = checkin_hunt()
        hunt["puzzles"][-1]["radius"] = 1001
        hunt["puzzles"][-1]["answer"] = {"accept": ["x"]}
        r = self.check(hunt)
        self.assertIn('"radius" must be', r.stderr)
        self.assertIn("it has no \"answer\"", r.stderr)


if __name__ == "__main__":
    unittest.main()
