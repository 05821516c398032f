"""Black-box tests of running a real event (issue 11): test runs with staff test
teams, team moderation (list, rename, hide, exclude) with its staff log, a contact
given with consent, the winners list and the prize hand-over (redeem, release to the
next reserve), and messages in German or English. A real spurd over sockets."""
import csv
import io
import os
import re
import sqlite3
import subprocess
import tempfile
import time
import unittest

from spurlib import SHORT_HUNT, Server, demo_hunt, epoch, now_iso, sleep_until

HUNT = "test-hunt"
STAFF = {"X-Staff-Name": "Anna Amt"}


def create(srv, name, token=None, test=None):
    body = {"name": name}
    if test is not None:
        body["test"] = test
    return srv.json("POST", f"/api/hunts/{HUNT}/teams", body, token=token)


def answer(srv, token, pid, text):
    return srv.json("POST", f"/api/hunts/{HUNT}/puzzles/{pid}/answer", {"answer": text},
                    token=token)


def qr_text(svg, folder):
    """What zbarimg reads from a QR code SVG as spurd draws it (one 1x1 path square per
    dark module), drawn 8 pixels a module into a PGM."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg)}
    scale = 8
    rows = bytearray()
    for y in range(size * scale):
        rows += bytes(0 if (x // scale, y // scale) in dark else 255 for x in range(size * scale))
    path = os.path.join(folder, "qr.pgm")
    with open(path, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (size * scale, size * scale) + bytes(rows))
    r = subprocess.run(["zbarimg", "-q", "--raw", path], capture_output=True, text=True,
                       timeout=30)
    return r.stdout.strip()


class TestTestRuns(unittest.TestCase):
    """A hunt that has not started: staff try it with test teams, then delete them."""

    def test_test_teams_play_early_stay_off_the_board_and_go(self):
        with Server(hunt_json=demo_hunt(starts_in=3600, ends_in=7200)) as srv:
            st, body = create(srv, "Probe", test=True)
            self.assertEqual(st, 401, body)
            st, real = create(srv, "Echtes Team")
            self.assertEqual(st, 201, real)
            st, body = create(srv, "Probe", token=real["token"], test=True)
            self.assertEqual((st, body["error"]), (403, "forbidden"))
            st, tt = srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": "Probe", "test": True},
                              token=srv.admin_token, headers=STAFF)
            self.assertEqual(st, 201, tt)
            # a test team plays before the start; a real team may not
            st, res = answer(srv, tt["token"], "stufen", "42")
            self.assertEqual((st, res["correct"]), (200, True), res)
            st, res = answer(srv, real["token"], "stufen", "42")
            self.assertEqual((st, res["error"]), (403, "not_started"))
            st, me = srv.json("GET", f"/api/hunts/{HUNT}/me", token=tt["token"])
            self.assertEqual((me["score"], me["rank"], me["test"]), (8, None, True))
            # never on the board, in stats or the export
            st, lb = srv.json("GET", f"/api/hunts/{HUNT}/leaderboard")
            self.assertEqual([t["name"] for t in lb["teams"]], ["Echtes Team"])
            self.assertEqual(lb["total"], 1)
            st, stats = srv.json("GET", f"/api/admin/hunts/{HUNT}/stats", token=srv.admin_token)
            self.assertEqual((stats["teams"], stats["test_teams"], stats["solves"]), (1, 1, 0))
            st, _, out = srv.request("GET", f"/api/admin/hunts/{HUNT}/export.csv",
                                     token=srv.admin_token)
            self.assertNotIn("Probe", out.decode())
            # the list shows it as a test team
            st, lst = srv.json("GET", f"/api/admin/hunts/{HUNT}/teams", token=srv.admin_token)
            self.assertEqual(st, 200)
            by_name = {t["name"]: t for t in lst["teams"]}
            self.assertTrue(by_name["Probe"]["test"])
            self.assertFalse(by_name["Echtes Team"]["test"])
            # deleted with their progress; their tokens stop working; real teams stay
            st, res = srv.json("DELETE", f"/api/admin/hunts/{HUNT}/test-teams",
                               token=srv.admin_token, headers=STAFF)
            self.assertEqual((st, res), (200, {"deleted": 1}))
            st, _ = srv.json("GET", f"/api/hunts/{HUNT}/me", token=tt["token"])
            self.assertEqual(st, 401)
            st, me = srv.json("GET", f"/api/hunts/{HUNT}/me", token=real["token"])
            self.assertEqual(st, 200)
            # the name is free again, the log tells who did it
            st, again = srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": "Probe", "test": True},
                                 token=srv.admin_token)
            self.assertEqual(st, 201, again)
            st, log = srv.json("GET", f"/api/admin/hunts/{HUNT}/log", token=srv.admin_token)
            actions = [(e["action"], e["who"]) for e in log["entries"]]
            self.assertIn(("delete_test_teams", "Anna Amt"), actions)
            self.assertIn(("create_test_team", "Anna Amt"), actions)
            self.assertEqual(actions[0], ("create_test_team", "Staff"))  # newest first
            # survives a restart: the new test team is still a test team
            srv.restart()
            st, lb = srv.json("GET", f"/api/hunts/{HUNT}/leaderboard")
            self.assertEqual(lb["total"], 1)
            st, me = srv.json("GET", f"/api/hunts/{HUNT}/me", token=again["token"])
            self.assertEqual((st, me["test"]), (200, True))
            srv.check_stderr()


class TestModeration(unittest.TestCase):
    def test_rename_hide_exclude_and_the_log(self):
        with Server(hunt_json=demo_hunt()) as srv:
            teams = {}
            for name, pts in (("Füchse", "42"), ("0171 1234567", None), ("Eulen", None)):
                st, body = create(srv, name)
                self.assertEqual(st, 201)
                teams[name] = body
                if pts:
                    answer(srv, body["token"], "stufen", pts)
            bad = teams["0171 1234567"]["team"]["id"]
            path = f"/api/admin/hunts/{HUNT}/teams/{bad}"
            st, body = srv.json("PATCH", path, {"name": "Füchse"}, token=srv.admin_token)
            self.assertEqual((st, body["error"]), (409, "name_taken"))
            st, body = srv.json("PATCH", path, {"name": ""}, token=srv.admin_token)
            self.assertEqual((st, body["error"]), (400, "bad_name"))
            st, body = srv.json("PATCH", path, {"colour": "red"}, token=srv.admin_token)
            self.assertEqual(st, 400)
            st, body = srv.json("PATCH", path, {"name": "Team 3"})
            self.assertEqual(st, 401)
            st, body = srv.json("PATCH", f"/api/admin/hunts/{HUNT}/teams/99999", {"hidden": True},
                                token=srv.admin_token)
            self.assertEqual(st, 404)
            st, body = srv.json("PATCH", path, {"name": "Team 3", "hidden": True},
                                token=srv.admin_token, headers=STAFF)
            self.assertEqual(st, 200, body)
            self.assertEqual((body["name"], body["hidden"], body["excluded"]), ("Team 3", True, False))
            # hidden: off the public board (ranks close up), still plays and sees itself
            st, lb = srv.json("GET", f"/api/hunts/{HUNT}/leaderboard")
            self.assertEqual([(t["rank"], t["name"]) for t in lb["teams"]],
                             [(1, "Füchse"), (2, "Eulen")])
            self.assertEqual(lb["total"], 2)
            st, lb = srv.json("GET", f"/api/hunts/{HUNT}/leaderboard?offset=1&limit=5")
            self.assertEqual([(t["rank"], t["name"]) for t in lb["teams"]], [(2, "Eulen")])
            tok = teams["0171 1234567"]["token"]
            st, res = answer(srv, tok, "farbe", "gruen")
            self.assertEqual((st, res["correct"]), (200, True))
            st, me = srv.json("GET", f"/api/hunts/{HUNT}/me", token=tok)
            self.assertEqual((me["team"]["name"], me["hidden"], me["score"]), ("Team 3", True, 4))
            # the old name is free, the new one taken
            st, body = create(srv, "0171 1234567")
            self.assertEqual(st, 201)
            st, body = create(srv, "team 3")
            self.assertEqual(st, 409)
            # exclude with a reason; shown again
            eid = teams["Eulen"]["team"]["id"]
            st, body = srv.json("PATCH", f"/api/admin/hunts/{HUNT}/teams/{eid}",
                                {"excluded": True, "reason": "doppelt angemeldet"},
                                token=srv.admin_token, headers=STAFF)
            self.assertEqual((st, body["excluded"], body["reason"]), (200, True, "doppelt angemeldet"))
            st, body = srv.json("PATCH", path, {"hidden": False}, token=srv.admin_token)
            self.assertEqual((st, body["hidden"]), (200, False))
            st, lb = srv.json("GET", f"/api/hunts/{HUNT}/leaderboard")
            self.assertIn("Team 3", [t["name"] for t in lb["teams"]])
            # search and the log
            st, lst = srv.json("GET", f"/api/admin/hunts/{HUNT}/teams?q=f%C3%BCch",
                               token=srv.admin_token)
            self.assertEqual([t["name"] for t in lst["teams"]], ["Füchse"])
            st, log = srv.json("GET", f"/api/admin/hunts/{HUNT}/log", token=srv.admin_token)
            first = log["entries"][-1]
            self.assertEqual((first["action"], first["who"], first["team"]),
                             ("edit_team", "Anna Amt", bad))
            self.assertEqual(first["detail"]["name"], ["0171 1234567", "Team 3"])
            self.assertEqual(len(log["entries"]), 3)
            # kept over a restart
            srv.restart()
            st, lst = srv.json("GET", f"/api/admin/hunts/{HUNT}/teams", token=srv.admin_token)
            e = {t["id"]: t for t in lst["teams"]}[eid]
            self.assertEqual((e["excluded"], e["reason"]), (True, "doppelt angemeldet"))
            srv.check_stderr()


    def test_the_staff_log_is_bounded(self):
        # three rows fit; the fourth staff change is refused with 503 and changes nothing,
        # also after a restart (the count is read from the database)
        with Server(hunt_json=demo_hunt(), env={"SPUR_STAFF_LOG_MAX": "3"}) as srv:
            st, body = create(srv, "Füchse")
            path = f"/api/admin/hunts/{HUNT}/teams/{body['team']['id']}"
            for hidden in (True, False, True):
                st, body = srv.json("PATCH", path, {"hidden": hidden}, token=srv.admin_token)
                self.assertEqual(st, 200, body)
            for _ in range(2):
                st, body = srv.json("PATCH", path, {"hidden": False}, token=srv.admin_token)
                self.assertEqual((st, body["error"]), (503, "log_full"))
                self.assertIn("SPUR_STAFF_LOG_MAX", body["message"])
                srv.restart()
            st, body = srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": "Probe", "test": True},
                                token=srv.admin_token)
            self.assertEqual((st, body["error"]), (503, "log_full"))
            st, me = srv.json("GET", f"/api/admin/hunts/{HUNT}/teams", token=srv.admin_token)
            self.assertEqual([(t["name"], t["hidden"]) for t in me["teams"]], [("Füchse", True)])
            st, log = srv.json("GET", f"/api/admin/hunts/{HUNT}/log", token=srv.admin_token)
            self.assertEqual(len(log["entries"]), 3)


def contact_hunt(ends_in):
    h = demo_hunt(starts_in=-60, ends_in=ends_in)
    h["late_sync_grace"] = 0
    h["contact"] = {"ask": "optional", "label": "E-Mail oder Telefon für den Gewinnfall",
                    "privacy": "Nur für die Benachrichtigung; gelöscht 30 Tage nach Ende."}
    h["purge_after_days"] = 30
    h["prizes"] = [{"id": "paket", "name": "Paket", "count": 1, "reserves": 2,
                    "eligible": "all"}]
    return h


class TestContactAndHandOver(unittest.TestCase):
    def tmp(self):
        d = tempfile.mkdtemp(prefix="spur-qr-")
        self.addCleanup(lambda: __import__("shutil").rmtree(d, ignore_errors=True))
        return d

    def test_contact_winners_redeem_release(self):
        hunt = contact_hunt(SHORT_HUNT)
        with Server(hunt_json=hunt) as srv:
            st, info = srv.json("GET", f"/api/hunts/{HUNT}")
            self.assertEqual(info["contact"]["ask"], "optional")
            toks = {}
            for name in ("A", "B", "C", "D"):
                st, body = create(srv, name)
                toks[name] = body
                answer(srv, body["token"], "stufen", "42")
            tok = toks["A"]["token"]
            cpath = f"/api/hunts/{HUNT}/me/contact"
            st, body = srv.json("PUT", cpath, {"contact": "a@example.org"}, token=tok)
            self.assertEqual((st, body["error"]), (400, "consent_required"))
            st, body = srv.json("PUT", cpath, {"contact": "not a contact", "consent": True},
                                token=tok)
            self.assertEqual((st, body["error"]), (400, "bad_contact"))
            st, body = srv.json("PUT", cpath, {"contact": "a@example.org", "consent": True})
            self.assertEqual(st, 401)
            for name, c in (("A", " a@example.org "), ("B", "+49 631 123456"), ("C", "c@example.org")):
                st, body = srv.json("PUT", cpath, {"contact": c, "consent": True},
                                    token=toks[name]["token"])
                self.assertEqual((st, body), (200, {"contact_given": True}))
            st, body = srv.json("DELETE", cpath, token=toks["C"]["token"])
            self.assertEqual((st, body), (200, {"contact_given": False}))
            st, me = srv.json("GET", f"/api/hunts/{HUNT}/me", token=tok)
            self.assertTrue(me["contact_given"])
            sleep_until(epoch(hunt["ends_at"]) + 1)
            st, rec = srv.json("POST", f"/api/admin/hunts/{HUNT}/draw", {"prize": "paket"},
                               token=srv.admin_token, headers=STAFF)
            self.assertEqual(st, 200, rec)
            st, log = srv.json("GET", f"/api/admin/hunts/{HUNT}/log", token=srv.admin_token)
            self.assertEqual([(e["action"], e["who"], e["detail"]) for e in log["entries"]][0],
                             ("draw", "Anna Amt", {"prize": "paket"}))
            # who takes part is fixed from draw_from on: no exclusion changes now
            st, body = srv.json("PATCH", f"/api/admin/hunts/{HUNT}/teams/{toks['D']['team']['id']}",
                                {"excluded": True, "reason": "zu spät"}, token=srv.admin_token,
                                headers=STAFF)
            self.assertEqual((st, body["error"]), (409, "draw_list_fixed"))
            self.assertIn("draw_from", body["message"])
            st, w = srv.json("GET", f"/api/admin/hunts/{HUNT}/winners", token=srv.admin_token)
            self.assertEqual(st, 200, w)
            entries = w["prizes"][0]["entries"]
            self.assertEqual([e["kind"] for e in entries], ["winner", "reserve", "reserve"])
            contacts = {"A": "a@example.org", "B": "+49 631 123456"}
            for e in entries:
                self.assertEqual(e["contact"], contacts.get(e["team"]["name"]))
            self.assertEqual([e["redeemable"] for e in entries], [True, False, False])
            # contacts never leave the winners list
            for path in (f"/api/hunts/{HUNT}/draw", f"/api/hunts/{HUNT}/leaderboard",
                         f"/api/admin/hunts/{HUNT}/export.csv", f"/api/admin/hunts/{HUNT}/teams"):
                st, _, out = srv.request("GET", path, token=srv.admin_token)
                self.assertNotIn(b"example.org", out, path)
                self.assertNotIn(b"631 123456", out, path)
            self.assertNotIn("example.org", srv.stderr())
            win, res1, res2 = entries
            # the winner's phone shows a QR code that opens the staff desk with its code
            wtok = toks[win["team"]["name"]]["token"]
            st, hdrs, svg = srv.request("GET", f"/api/hunts/{HUNT}/me/claim.svg?prize=paket",
                                        token=wtok)
            self.assertEqual((st, hdrs.get("content-type")), (200, "image/svg+xml"))
            self.assertEqual(qr_text(svg.decode(), self.tmp()),
                             f"http://127.0.0.1:{srv.port}/staff/?hunt={HUNT}#claim={win['claim_code']}")
            loser = next(n for n in toks if n not in [e["team"]["name"] for e in entries])
            st, _, _ = srv.request("GET", f"/api/hunts/{HUNT}/me/claim.svg?prize=paket",
                                   token=toks[loser]["token"])
            self.assertEqual(st, 404)
            base = f"/api/admin/hunts/{HUNT}/claims"
            # a reserve cannot be handed out yet
            st, body = srv.json("POST", f"{base}/{res1['claim_code']}/redeem", token=srv.admin_token)
            self.assertEqual((st, body["error"]), (409, "not_redeemable"))
            st, body = srv.json("POST", f"{base}/ZZZZ-ZZZZ/redeem", token=srv.admin_token)
            self.assertEqual(st, 404)
            # the winner's prize is handed out once
            st, body = srv.json("POST", f"{base}/{win['claim_code']}/redeem", token=srv.admin_token,
                                headers=STAFF)
            self.assertEqual(st, 200, body)
            self.assertEqual(body["team"]["id"], win["team"]["id"])
            first = body["redeemed_at"]
            st, body = srv.json("POST", f"{base}/{win['claim_code']}/redeem", token=srv.admin_token)
            self.assertEqual((st, body["error"], body["redeemed_at"]),
                             (409, "already_redeemed", first))
            # a handed-out prize is not released
            st, body = srv.json("POST", f"{base}/{win['claim_code']}/release", token=srv.admin_token)
            self.assertEqual(st, 409)
            self.assertNotIn("released_at", body)
            srv.restart()  # all of it is stored
            st, body = srv.json("POST", f"{base}/{win['claim_code']}/redeem", token=srv.admin_token)
            self.assertEqual((st, body["redeemed_at"]), (409, first))
            st, w = srv.json("GET", f"/api/admin/hunts/{HUNT}/winners", token=srv.admin_token)
            self.assertEqual(w["prizes"][0]["entries"][0]["by"], "Anna Amt")
            srv.check_stderr()


    def test_contacts_go_by_themselves_purge_after_days_after_the_end(self):
        hunt = contact_hunt(3600)
        hunt["purge_after_days"] = 1
        with Server(hunt_json=hunt) as srv:
            toks = []
            for name in ("A", "B"):
                st, body = create(srv, name)
                toks.append(body["token"])
                st, body = srv.json("PUT", f"/api/hunts/{HUNT}/me/contact",
                                    {"contact": f"{name}@example.org", "consent": True},
                                    token=body["token"])
                self.assertEqual(st, 200, body)
            srv.stop()
            with sqlite3.connect(srv.db) as db:
                self.assertEqual(db.execute("SELECT count(*) FROM contacts").fetchone(), (2,))
            # the same hunt, as if it had ended two days ago: one day past purge_after_days
            hunt["starts_at"], hunt["ends_at"] = now_iso(-3 * 86400), now_iso(-2 * 86400)
            srv.import_hunt(hunt)
            srv.start()
            deadline = time.time() + 10
            while time.time() < deadline:
                st, me = srv.json("GET", f"/api/hunts/{HUNT}/me", token=toks[0])
                if not me["contact_given"]:
                    break
                time.sleep(0.1)
            self.assertFalse(me["contact_given"])
            st, log = srv.json("GET", f"/api/admin/hunts/{HUNT}/log", token=srv.admin_token)
            self.assertEqual((log["entries"][0]["action"], log["entries"][0]["detail"]),
                             ("purge_contacts", {"deleted": 2}))
            # and no new contact is taken after that
            st, body = srv.json("PUT", f"/api/hunts/{HUNT}/me/contact",
                                {"contact": "neu@example.org", "consent": True}, token=toks[1])
            self.assertEqual((st, body["error"]), (403, "hunt_over"))
            srv.stop()
            with sqlite3.connect(srv.db) as db:
                self.assertEqual(db.execute("SELECT count(*) FROM contacts").fetchone(), (0,))
            with open(srv.db, "rb") as f:
                self.assertNotIn(b"example.org", f.read())


class TestLanguage(unittest.TestCase):
    def test_messages_follow_accept_language_then_the_hunt(self):
        with Server(hunt_json=demo_hunt()) as srv:
            st, body = srv.json("GET", "/api/hunts/test-hunt/puzzles")
            self.assertEqual(st, 401)
            self.assertEqual(body["message"], "Ein gültiges Token ist nötig.")
            st, body = srv.json("GET", "/api/hunts/test-hunt/puzzles",
                                headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
            self.assertEqual(body["message"], "A valid token is required.")
            st, body = srv.json("GET", "/api/hunts/test-hunt/puzzles",
                                headers={"Accept-Language": "fr, de;q=0.3, en;q=0.2"})
            self.assertEqual(body["message"], "Ein gültiges Token ist nötig.")
            st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"nam": "x"},
                                headers={"Accept-Language": "en"})
            self.assertEqual(body["message"], 'Unknown field "nam".')
            st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"nam": "x"})
            self.assertEqual(body["message"], 'Unbekanntes Feld "nam".')
        h = demo_hunt()
        h["language"] = "en"
        with Server(hunt_json=h) as srv:
            st, body = srv.json("GET", "/api/hunts/test-hunt/puzzles")
            self.assertEqual(body["message"], "A valid token is required.")
            st, body = srv.json("GET", "/api/hunts/test-hunt/puzzles",
                                headers={"Accept-Language": "de-DE"})
            self.assertEqual(body["message"], "Ein gültiges Token ist nötig.")


if __name__ == "__main__":
    unittest.main()
