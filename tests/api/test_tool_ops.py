"""The organizer's tool on a played hunt: an updated file imported while spurd runs
and picked up on SIGHUP (progress kept, removed puzzle gone, score recomputed),
`spur export` against the live leaderboard (and safe in spreadsheets), and
`spur purge` of contact data (asking on a terminal, refusing without one)."""

import csv
import io
import json
import os
import pty
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from spurlib import BUILD, Server, demo_hunt
from test_tool import SPUR, spur

H = "/api/hunts/test-hunt"
EVIL = '=HYPERLINK("http://e.vil","x")'
KINDS = {"find-rathaus": "scan", "kaiser": "text", "stufen": "number", "farbe": "choice",
         "am-brunnen": "checkin"}


def play(srv, name, scan=True, kaiser=False, stufen=False):
    st, body = srv.json("POST", f"{H}/teams", {"name": name})
    assert st == 201, body
    token = body["token"]
    if scan:
        code = spur("qr", "--db", srv.db, "--hunt", "test-hunt").stdout.split("\t")[2].split()[0]
        st, body = srv.json("POST", f"{H}/scan", {"code": code}, token=token)
        assert st == 200, body
    for puzzle, answer, do in (("kaiser", "Barbarossa", kaiser), ("stufen", "42", stufen)):
        if do:
            st, body = srv.json("POST", f"{H}/puzzles/{puzzle}/answer", {"answer": answer},
                                token=token)
            assert st == 200 and body["correct"], body
    return token


class ImportWhileRunningTest(unittest.TestCase):
    def test_changed_hunt_is_applied_on_sighup_and_progress_is_kept(self):
        hunt = demo_hunt()
        with Server(hunt_json=hunt) as srv:
            token = play(srv, "Füchse", kaiser=True, stufen=True)
            self.assertEqual(srv.json("GET", f"{H}/me", token=token)[1]["score"], 23)

            hunt["title"] = "Neue Rallye"
            hunt["puzzles"] = [p for p in hunt["puzzles"] if p["id"] != "stufen"]
            hunt["_comment"] = "comments are no change"
            path = os.path.join(srv.tmp, "changed.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(hunt, f, ensure_ascii=False, indent=2)

            r = spur("import", path, "--db", srv.db, "--dry-run")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.splitlines(), [
                "test-hunt: would update the stored hunt, keeping its codes, draw seed and "
                "progress:",
                '  title changed: "Test-Rallye" -> "Neue Rallye"',
                "  puzzle removed: stufen",
            ])
            self.assertEqual(r.stderr.splitlines()[-1],
                             'spur: warning: puzzle "stufen" would be removed although 1 team '
                             "solved it; the solves stay in the history but no longer count")
            self.assertEqual(srv.json("GET", H)[1]["title"], "Test-Rallye")

            r = spur("import", path, "--db", srv.db)
            self.assertEqual((r.returncode, r.stdout), (0, "test-hunt\n"), r.stderr)
            os.kill(srv.proc.pid, signal.SIGHUP)
            deadline = time.monotonic() + 10
            while srv.json("GET", H)[1]["title"] != "Neue Rallye":
                self.assertLess(time.monotonic(), deadline, "SIGHUP did not reload the hunt")
                time.sleep(0.05)

            st, puzzles = srv.json("GET", f"{H}/puzzles", token=token)
            self.assertEqual(st, 200)
            self.assertEqual([p["id"] for p in puzzles],
                             ["find-rathaus", "kaiser", "farbe"])
            self.assertEqual([p["status"] for p in puzzles[:2]], ["solved", "solved"])
            me = srv.json("GET", f"{H}/me", token=token)[1]
            self.assertEqual((me["score"], me["solved"] if isinstance(me["solved"], int)
                              else len(me["solved"])), (15, 2))
            board = srv.json("GET", f"{H}/leaderboard")[1]
            self.assertEqual([(t["name"], t["score"]) for t in board["teams"]], [("Füchse", 15)])
            with sqlite3.connect(srv.db) as c:
                kept = c.execute("SELECT count(*) FROM events WHERE puzzle_id = 'stufen'")
                self.assertEqual(kept.fetchone()[0], 1)


class ExportTest(unittest.TestCase):
    def test_export_matches_the_leaderboard_and_neutralises_formulas(self):
        hunt = demo_hunt()
        hunt["puzzles"].append({"id": "am-brunnen", "title": "Am Brunnen", "kind": "checkin",
                                "place": "brunnen", "clue": "Geht hin.", "points": 3})
        with Server(hunt_json=hunt) as srv:
            play(srv, "Eulen", kaiser=True)
            play(srv, EVIL, kaiser=True, stufen=True)
            play(srv, "Spätzünder", scan=False)
            play(srv, "+Plus", stufen=False)
            with sqlite3.connect(srv.db) as c:
                c.execute("INSERT INTO contacts VALUES (1, 'eulen@example.org', 0)")
            board = srv.json("GET", f"{H}/leaderboard")[1]["teams"]
            self.assertEqual(len(board), 4)

            out = os.path.join(srv.tmp, "results.csv")
            r = spur("export", "--db", srv.db, "--hunt", "test-hunt", "-o", out)
            self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
            with open(out, encoding="utf-8", newline="") as f:
                raw = f.read()
            self.assertNotIn("example.org", raw)
            self.assertIn('"\'=HYPERLINK(""http://e.vil"",""x"")"', raw)
            self.assertIn('"\'+Plus"', raw)
            teams_part, puzzles_part = raw.split("\r\n\r\n")
            rows = list(csv.DictReader(io.StringIO(teams_part)))
            self.assertEqual([(int(r["rank"]), r["name"].lstrip("'"), int(r["score"]),
                               int(r["solved"])) for r in rows],
                             [(t["rank"], t["name"], t["score"], t["solved"]) for t in board])
            self.assertEqual(rows[0]["name"], "'" + EVIL)
            self.assertRegex(rows[0]["stufen"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertEqual(rows[0]["farbe"], "")
            self.assertEqual(rows[0]["last_solve_at"], board[0]["last_solve_at"][:19] + "Z")
            # the puzzle table: columns in their old order, each puzzle's kind at the end
            self.assertTrue(puzzles_part.startswith(
                "puzzle,title,points,solves,hints_taken,kind\r\n"), puzzles_part)
            puzzles = {p["puzzle"]: p for p in csv.DictReader(io.StringIO(puzzles_part))}
            self.assertEqual(puzzles["find-rathaus"]["solves"], "3")
            self.assertEqual(puzzles["kaiser"]["solves"], "2")
            self.assertEqual({k: p["kind"] for k, p in puzzles.items()}, KINDS)

            r = spur("export", "--db", srv.db, "--hunt", "test-hunt", "--format", "json")
            self.assertEqual(r.returncode, 0, r.stderr)
            data = json.loads(r.stdout)
            self.assertNotIn("example.org", r.stdout)
            self.assertEqual([(t["rank"], t["name"], t["score"]) for t in data["teams"]],
                             [(t["rank"], t["name"], t["score"]) for t in board])
            self.assertEqual([s["puzzle"] for s in data["teams"][0]["solves"]],
                             ["find-rathaus", "kaiser", "stufen"])
            self.assertEqual({p["id"]: p["solves"] for p in data["puzzles"]},
                             {"find-rathaus": 3, "kaiser": 2, "stufen": 1, "farbe": 0,
                              "am-brunnen": 0})
            self.assertEqual({p["id"]: p["kind"] for p in data["puzzles"]}, KINDS)
            self.assertEqual(list(data["puzzles"][0]),
                             ["id", "title", "points", "solves", "hints_taken", "kind"])

    def test_export_usage_errors(self):
        self.assertEqual(spur("export", "--db", "x.db").returncode, 2)
        with Server(hunt_json=demo_hunt()) as srv:
            r = spur("export", "--db", srv.db, "--hunt", "nope")
            self.assertEqual(r.returncode, 2)
            r = spur("export", "--db", srv.db, "--hunt", "test-hunt", "--format", "xls")
            self.assertEqual(r.returncode, 2)


class TeamsTest(unittest.TestCase):
    """`spur teams`: the list staff see, and the same edits as the staff console."""

    def test_list_rename_hide_exclude_and_the_log(self):
        with Server(hunt_json=demo_hunt()) as srv:
            play(srv, "Eulen", kaiser=True)
            play(srv, "0171 1234567", scan=False)
            play(srv, "Füchse", scan=False)
            ids = {t["name"]: t["id"] for t in
                   srv.json("GET", "/api/admin/hunts/test-hunt/teams",
                            token=srv.admin_token)[1]["teams"]}
            base = ("teams", "--db", srv.db, "--hunt", "test-hunt")
            r = spur(*base, lang="de_DE.UTF-8")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("Punkte", r.stdout)
            self.assertIn("0171 1234567", r.stdout)
            self.assertTrue(r.stdout.endswith("3 von 3 Teams\n"), r.stdout)
            r = spur(*base, "--search", "eul", "--json")
            teams = json.loads(r.stdout)["teams"]
            self.assertEqual([(t["name"], t["score"] > 0, t["hidden"]) for t in teams],
                             [("Eulen", True, False)])
            bad = str(ids["0171 1234567"])
            # refused: a taken name, a bad one, no change, no such team
            r = spur(*base, "--team", bad, "--name", "füchse")
            self.assertEqual(r.returncode, 1)
            self.assertIn("already exists", r.stderr)
            self.assertEqual(spur(*base, "--team", bad, "--name", "").returncode, 1)
            self.assertEqual(spur(*base, "--team", bad).returncode, 2)
            self.assertEqual(spur(*base, "--team", "999", "--hide").returncode, 1)
            r = spur(*base, "--team", bad, "--name", "Team 3", "--hide", "--by", "Anna Amt",
                     lang="de_DE.UTF-8")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("kill -HUP", r.stderr)
            r = spur(*base, "--team", str(ids["Füchse"]), "--exclude", "doppelt angemeldet")
            self.assertEqual(r.returncode, 0, r.stderr)
            # spurd shows it after a reload, and the log says who
            srv.proc.send_signal(signal.SIGHUP)
            deadline = time.time() + 10
            while time.time() < deadline:
                board = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]["teams"]
                if "0171 1234567" not in [t["name"] for t in board]:
                    break
                time.sleep(0.1)
            self.assertEqual(sorted(t["name"] for t in board), ["Eulen", "Füchse"])
            st, lst = srv.json("GET", "/api/admin/hunts/test-hunt/teams", token=srv.admin_token)
            by_id = {t["id"]: t for t in lst["teams"]}
            self.assertEqual((by_id[int(bad)]["name"], by_id[int(bad)]["hidden"]), ("Team 3", True))
            self.assertEqual(by_id[ids["Füchse"]]["reason"], "doppelt angemeldet")
            st, log = srv.json("GET", "/api/admin/hunts/test-hunt/log", token=srv.admin_token)
            self.assertEqual([(e["who"], e["team"]) for e in log["entries"]][-1],
                             ("Anna Amt", int(bad)))
            self.assertEqual(log["entries"][-1]["detail"]["name"], ["0171 1234567", "Team 3"])
            r = spur(*base)
            self.assertIn("hidden", r.stdout)
            self.assertIn("excluded: doppelt angemeldet", r.stdout)


class PurgeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spur-purge-")
        self.db = os.path.join(self.dir, "p.db")
        for hunt_id in ("test-hunt", "other"):
            hunt = demo_hunt()
            hunt["id"] = hunt_id
            path = os.path.join(self.dir, hunt_id + ".json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(hunt, f)
            self.assertEqual(spur("import", path, "--db", self.db).returncode, 0)
        with sqlite3.connect(self.db) as c:
            for team, hunt_id in ((1, "test-hunt"), (2, "test-hunt"), (3, "other")):
                c.execute("INSERT INTO teams(id, hunt_id, name, name_key, join_salt, join_hash, created_at_ms) "
                          "VALUES (?, ?, ?, ?, zeroblob(16), zeroblob(32), 0)",
                          (team, hunt_id, f"T{team}", f"t{team}"))
                c.execute("INSERT INTO contacts VALUES (?, ?, 0)", (team, f"t{team}@example.org"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def contacts(self):
        with sqlite3.connect(self.db) as c:
            return [r[0] for r in c.execute("SELECT team_id FROM contacts ORDER BY team_id")]

    def test_yes_deletes_only_this_hunts_contacts(self):
        r = spur("purge", "--db", self.db, "--hunt", "test-hunt", "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "test-hunt: deleted the contact data of 2 teams\n")
        self.assertEqual(self.contacts(), [3])
        with open(self.db, "rb") as f:
            self.assertNotIn(b"t1@example.org", f.read())
        r = spur("purge", "--db", self.db, "--hunt", "test-hunt", "--yes")
        self.assertEqual(r.stdout, "test-hunt: no contact data stored\n")

    def test_without_yes_and_without_a_terminal_it_refuses(self):
        r = subprocess.run([SPUR, "purge", "--db", self.db, "--hunt", "test-hunt"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--yes", r.stderr)
        self.assertEqual(self.contacts(), [1, 2, 3])

    def run_on_terminal(self, answer):
        master, slave = pty.openpty()
        p = subprocess.Popen([SPUR, "purge", "--db", self.db, "--hunt", "test-hunt"],
                             stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, LANG="C", LC_ALL="C"))
        os.close(slave)
        os.write(master, answer)
        out, err = p.communicate(timeout=30)
        os.close(master)
        return p.returncode, out.decode(), err.decode()

    def test_on_a_terminal_it_asks_first(self):
        code, out, err = self.run_on_terminal(b"n\n")
        self.assertEqual(code, 2)
        self.assertIn("Delete contact data of 2 teams of hunt test-hunt? [y/N]", err)
        self.assertEqual(self.contacts(), [1, 2, 3])
        code, out, err = self.run_on_terminal(b"y\n")
        self.assertEqual((code, out), (0, "test-hunt: deleted the contact data of 2 teams\n"))
        self.assertEqual(self.contacts(), [3])


if __name__ == "__main__":
    unittest.main()


class BackupTest(unittest.TestCase):
    def test_a_backup_made_while_spurd_writes_restores_the_hunt(self):
        with Server(hunt_json=demo_hunt()) as srv:
            play(srv, "Füchse", kaiser=True, stufen=True)
            play(srv, "Eulen", stufen=True)
            st, board = srv.json("GET", f"{H}/leaderboard")
            backup = os.path.join(srv.tmp, "backup.db")
            r = spur("backup", "--db", srv.db, "-o", backup)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("2 teams", r.stdout)

            # again while teams keep signing up and answering: spurd is not held up,
            # and the copy is complete and checked (FILE is replaced only then)
            errors = []

            def keep_playing():
                for i in range(20):
                    try:
                        play(srv, "Nachzügler %d" % i, scan=False, stufen=True)
                    except AssertionError as e:
                        errors.append(e)
            t = threading.Thread(target=keep_playing)
            t.start()
            r2 = spur("backup", "--db", srv.db, "-o", os.path.join(srv.tmp, "during.db"))
            t.join()
            self.assertEqual((r2.returncode, errors), (0, []), r2.stderr)
            c = sqlite3.connect(os.path.join(srv.tmp, "during.db"))
            self.assertEqual(c.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertGreaterEqual(c.execute("SELECT count(*) FROM teams").fetchone()[0], 2)
            c.close()

            # not while spurd serves the database, and no second spurd beside it
            r = spur("restore", "--db", srv.db, backup)
            self.assertEqual(r.returncode, 2)
            self.assertIn("in use by a running spurd", r.stderr)
            self.assertIn("stop it first", r.stderr)
            second = subprocess.run([os.path.join(BUILD, "spurd"), "--db", srv.db, "--listen",
                                     "127.0.0.1:0"], capture_output=True, text=True, timeout=10)
            self.assertEqual(second.returncode, 1)
            self.assertIn("only one spurd may serve a database", second.stderr)
            self.assertGreater(len(srv.json("GET", f"{H}/leaderboard")[1]["teams"]), 2)

            # restore the first backup as spur help backup says, on a stopped spurd:
            # the teams that came later are gone, the board is the one backed up
            srv.stop()
            r = spur("restore", "--db", srv.db, backup)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("2 teams", r.stdout)
            srv.start()
            st, restored = srv.json("GET", f"{H}/leaderboard")
            self.assertEqual(restored["teams"], board["teams"])

    def test_restore_refuses_what_is_not_a_spur_backup(self):
        with tempfile.TemporaryDirectory() as d:
            junk = os.path.join(d, "junk.db")
            with open(junk, "wb") as f:
                f.write(b"not a database at all" * 100)
            r = spur("restore", "--db", os.path.join(d, "spur.db"), junk)
            self.assertEqual(r.returncode, 2)
            self.assertIn("junk.db", r.stderr)
            other = os.path.join(d, "other.db")
            c = sqlite3.connect(other)
            c.execute("CREATE TABLE t(x)")
            c.commit()
            c.close()
            r = spur("restore", "--db", os.path.join(d, "spur.db"), other)
            self.assertEqual(r.returncode, 2)
            self.assertIn("is not a spur database", r.stderr)

    def test_usage_and_missing_database(self):
        r = spur("backup", "--db", "/nonexistent/spur.db", "-o", "/tmp/x.db")
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent/spur.db", r.stderr)
        r = spur("backup", "--db", "x.db")
        self.assertEqual(r.returncode, 2)
        self.assertIn("backup needs --db PATH and -o FILE", r.stderr)
        r = spur("restore", "--db", "x.db")
        self.assertEqual(r.returncode, 2)
        self.assertIn("restore needs --db PATH and one backup FILE", r.stderr)
