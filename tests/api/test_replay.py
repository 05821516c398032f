"""One way to change the game: what the live server builds from answers, hints and
scans is exactly what start-up rebuilds from the stored rows.

A property test plays a random session against a real spurd (teams, phones joining,
right, partial, wrong and repeated answers, hints, scans of right and wrong codes,
offline retries, across the freeze and the end, a prize draw), records everything a
player or staff member can see, restarts spurd (gracefully, then with SIGKILL as a
power cut would) and finds every view identical. The seed is printed; set
SPUR_REPLAY_SEED to run one again. Also: a database from before schema version 2
(no verdict or solved columns) is migrated and replays the same."""
import json
import os
import random
import sqlite3
import time
import unittest

from spurlib import Server, epoch, now_iso, schema_version, sleep_until
from test_game import qr_codes

FREEZE_IN = 6  # seconds from the start of the test
END_IN = 10


def hunt_file():
    return {
        "id": "replay", "title": "Replay-Rallye", "starts_at": now_iso(-600),
        "freeze_at": now_iso(FREEZE_IN), "ends_at": now_iso(END_IN), "late_sync_grace": 0,
        "guess_limit": 64, "guess_window": 1,
        "places": [{"id": "tor", "name": "Tor"}, {"id": "turm", "name": "Turm"},
                   {"id": "markt", "name": "Markt"}],
        "puzzles": [
            {"id": "s-tor", "title": "Tor", "kind": "scan", "place": "tor", "points": 3},
            {"id": "s-turm", "title": "Turm", "kind": "scan", "place": "turm", "points": 4,
             "requires": ["s-tor"]},
            {"id": "kaiser", "title": "Kaiser", "points": 10, "requires": ["s-tor"],
             "answer": {"accept": ["Barbarossa"], "partial": {"Friedrich": "Welcher?"}},
             "hints": [{"text": "Rotbart", "cost": 3}, {"text": "Italienisch", "cost": 2}]},
            {"id": "stufen", "title": "Stufen", "points": 8,
             "answer": {"number": 42, "tolerance": 1}, "hints": [{"text": "40+", "cost": 1}]},
            {"id": "farbe", "title": "Farbe", "points": 4,
             "answer": {"choices": ["rot", "gruen", "blau"], "correct": 1}},
            {"id": "markt", "title": "Markt", "kind": "scan", "place": "markt", "points": 6,
             "requires": ["kaiser"]},
        ],
        "prizes": [{"id": "paket", "name": "Paket", "count": 2, "eligible": "all", "reserves": 1},
                   {"id": "urkunde", "name": "Urkunde", "count": "all", "eligible": {"min_score": 10}}],
    }


ANSWERS = {
    "kaiser": ["Barbarossa", "friedrich", "Friedrich!", "Otto", "Karl", "barbarossa "],
    "stufen": ["42", "41,5", "43", "40", "12", "zweiundvierzig"],
    "farbe": ["gruen", "Grün", "rot", "blau"],
}


class Session:
    def __init__(self, srv, rng):
        self.srv, self.rng = srv, rng
        self.codes = qr_codes(srv, "replay")
        self.teams = []   # [(token of each phone)]
        self.sent = []    # (token, path, body) of items sent with a client_id
        self.n = 0

    def post(self, path, body, tok=None):
        return self.srv.json("POST", "/api/hunts/replay" + path, body, token=tok)

    def step(self):
        r = self.rng
        self.n += 1
        if not self.teams or r.random() < 0.08:
            st, body = self.post("/teams", {"name": "Team %d-%d" % (len(self.teams), self.n)})
            if st == 201:
                self.teams.append([body["token"]])
                self.join_code = body["team"]["join_code"]
            return
        phones = r.choice(self.teams)
        tok = r.choice(phones)
        roll = r.random()
        if roll < 0.05:
            st, me = self.srv.json("GET", "/api/hunts/replay/me", token=tok)
            st, body = self.post("/join", {"join_code": me["team"]["join_code"]})
            if st == 200:
                phones.append(body["token"])
        elif roll < 0.15:
            self.post("/puzzles/%s/hints" % r.choice(["kaiser", "stufen", "farbe"]), {}, tok)
        elif roll < 0.40:
            code = r.choice([self.codes[p][r.randrange(2)] for p in self.codes] + ["AAAA-BBBB"])
            self.send(tok, "/scan", {"code": code})
        elif roll < 0.50 and self.sent:
            t, path, body = r.choice(self.sent)  # an offline item sent again
            self.post(path, body, t)
        else:
            pid = r.choice(list(ANSWERS))
            self.send(tok, "/puzzles/%s/answer" % pid, {"answer": r.choice(ANSWERS[pid])})

    def send(self, tok, path, body):
        if self.rng.random() < 0.7:
            body = dict(body, client_id="c%d" % self.n)
            self.sent.append((tok, path, body))
        self.post(path, body, tok)


def views(srv, session):
    """Everything a player or staff member can see, minus the clock."""
    out = {}
    st, board = srv.json("GET", "/api/hunts/replay/leaderboard?limit=1000")
    out["board"] = (st, board)
    for i, phones in enumerate(session.teams):
        for k, tok in enumerate(phones):
            me = srv.json("GET", "/api/hunts/replay/me", token=tok)
            puzzles = srv.json("GET", "/api/hunts/replay/puzzles", token=tok)
            out["team %d phone %d" % (i, k)] = (me, puzzles)
    stats = srv.json("GET", "/api/admin/hunts/replay/stats", token=srv.admin_token)
    out["stats"] = stats
    out["csv"] = srv.request("GET", "/api/admin/hunts/replay/export.csv",
                             token=srv.admin_token)[2].decode()
    out["draws"] = srv.json("GET", "/api/hunts/replay/draw")
    return json.loads(json.dumps(out, sort_keys=True))  # plain data, comparable


def retries(srv, session, last=30):
    """What the newest offline items answer when sent again (kept results)."""
    out = []
    for tok, path, body in session.sent[-last:]:
        st, headers, raw = srv.request("POST", "/api/hunts/replay" + path, body, token=tok)
        out.append((st, headers.get("x-spur-replay"), raw.decode()))
    return out


class ViewsCase(unittest.TestCase):
    def assert_same(self, got, want, what):
        """Names the first view that differs, not a 300 KB diff."""
        self.assertEqual(sorted(got), sorted(want), what)
        for key in sorted(want):
            self.assertEqual(got[key], want[key], "%s: %s differs" % (what, key))


class TestReplayEqualsLive(ViewsCase):
    def test_a_random_session_replays_to_the_same_state(self):
        seed = int(os.environ.get("SPUR_REPLAY_SEED", str(int(time.time()))))
        print("\n  (SPUR_REPLAY_SEED=%d)" % seed, end=" ", flush=True)
        rng = random.Random(seed)
        hunt = hunt_file()
        with Server(hunt_json=hunt) as srv:
            s = Session(srv, rng)
            for phase_end in (epoch(hunt["freeze_at"]) - 0.5, epoch(hunt["ends_at"]) - 0.5):
                while time.time() < phase_end:
                    s.step()
                sleep_until(phase_end + 1)  # into the frozen, then the over state
            for prize in ("paket", "urkunde"):
                st, body = srv.json("POST", "/api/admin/hunts/replay/draw", {"prize": prize},
                                    token=srv.admin_token)
                self.assertEqual(st, 200, body)
            self.assertGreater(s.n, 50)
            live, live_retries = views(srv, s), retries(srv, s)
            srv.restart()
            self.assert_same(views(srv, s), live, "seed %d: restart" % seed)
            self.assertEqual(retries(srv, s), live_retries, "seed %d: retries" % seed)
            srv.kill()
            srv.start()
            self.assert_same(views(srv, s), live, "seed %d: after SIGKILL" % seed)


V1_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE hunts(id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL, secret BLOB NOT NULL,
  draw_seed BLOB NOT NULL, imported_at INTEGER NOT NULL);
CREATE TABLE teams(id INTEGER PRIMARY KEY, hunt_id TEXT NOT NULL, name TEXT NOT NULL,
  name_key TEXT NOT NULL, join_salt BLOB NOT NULL, join_hash BLOB NOT NULL,
  created_at_ms INTEGER NOT NULL, UNIQUE(hunt_id, name_key));
CREATE TABLE tokens(hash BLOB PRIMARY KEY, team_id INTEGER NOT NULL, created_at_ms INTEGER NOT NULL);
CREATE TABLE events(id INTEGER PRIMARY KEY, hunt_id TEXT NOT NULL, team_id INTEGER NOT NULL,
  kind TEXT NOT NULL, puzzle_id TEXT, place_id TEXT, client_id TEXT, input TEXT, result TEXT,
  points INTEGER NOT NULL DEFAULT 0, at_ms INTEGER NOT NULL, made_at_ms INTEGER);
CREATE INDEX events_by_team ON events(team_id, id);
CREATE INDEX tokens_by_team ON tokens(team_id);
CREATE TABLE contacts(team_id INTEGER PRIMARY KEY, data TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
CREATE TABLE draws(hunt_id TEXT NOT NULL, prize_id TEXT NOT NULL, record TEXT NOT NULL,
  drawn_at_ms INTEGER NOT NULL, PRIMARY KEY(hunt_id, prize_id));
INSERT INTO meta VALUES('schema_version', '1');
"""


class TestOldDatabases(ViewsCase):
    def test_a_version_1_database_is_migrated_and_replays_the_same(self):
        hunt = hunt_file()
        hunt["freeze_at"] = hunt["ends_at"] = now_iso(3600)
        with Server(hunt_json=hunt) as srv:
            s = Session(srv, random.Random(7))
            st, body = srv.json("POST", "/api/hunts/replay/teams", {"name": "Alt"})
            tok = body["token"]
            codes = qr_codes(srv, "replay")
            plays = [("/scan", {"code": codes["tor"][1], "client_id": "a1"}),
                     ("/puzzles/kaiser/answer", {"answer": "Friedrich"}),
                     ("/puzzles/kaiser/answer", {"answer": "Otto"}),
                     ("/puzzles/kaiser/hints", {}),
                     ("/puzzles/kaiser/answer", {"answer": "Barbarossa", "client_id": "a2"}),
                     ("/scan", {"code": codes["markt"][0]}),
                     ("/puzzles/stufen/answer", {"answer": "42"})]
            for path, body in plays:
                self.assertEqual(srv.json("POST", "/api/hunts/replay" + path, body, token=tok)[0],
                                 200)
            s.teams = [[tok]]
            live = views(srv, s)
            srv.stop()
            # the same rows in a database of schema version 1
            old = srv.db + ".v1"
            with sqlite3.connect(srv.db) as new, sqlite3.connect(old) as v1:
                v1.executescript(V1_SCHEMA)
                for table, cols in (("hunts", "id, json, secret, draw_seed, imported_at"),
                                    ("teams", "id, hunt_id, name, name_key, join_salt, join_hash,"
                                              " created_at_ms"),
                                    ("tokens", "hash, team_id, created_at_ms"),
                                    ("events", "id, hunt_id, team_id, kind, puzzle_id, place_id,"
                                               " client_id, input, result, points, at_ms,"
                                               " made_at_ms")):
                    rows = new.execute("SELECT %s FROM %s" % (cols, table)).fetchall()
                    v1.executemany("INSERT INTO %s(%s) VALUES (%s)" % (
                        table, cols, ",".join("?" * len(cols.split(",")))), rows)
            os.replace(old, srv.db)
            for ext in ("-wal", "-shm"):
                if os.path.exists(srv.db + ext):
                    os.remove(srv.db + ext)
            srv.start()
            self.assert_same(views(srv, s), live, "migrated")
            with sqlite3.connect(srv.db) as db:
                self.assertEqual(db.execute("SELECT value FROM meta").fetchone(), (str(schema_version()),))
                self.assertEqual(db.execute(
                    "SELECT group_concat(x, ' ') FROM (SELECT coalesce(verdict, solved, '-') x "
                    "FROM events ORDER BY id)").fetchone()[0],
                    "s-tor partial wrong - correct markt correct")


if __name__ == "__main__":
    unittest.main()
