"""Photo missions (issue 13): "kind": "photo" puzzles are solved by a photo the team
sends (POST .../photo, image/jpeg) that staff approve with the puzzle's points or
fewer, or reject with a message; "review": "auto" counts at once and staff may revoke.
spurd re-encodes every photo with libvips on its thread pool (at most 1600 px,
upright, no metadata: phones put the GPS position in it) into a folder beside the
database, and only a staff token or the team's own opens it. A real spurd over
sockets; the photos are real JPEGs rendered by pdftoppm from a real poster PDF."""
import json
import os
import shutil
import socket
import tempfile
import time
import unittest

from spurlib import ADMIN_TOKEN, Server, demo_hunt
from test_decode import poster_jpeg
from test_game import new_team
from test_pictures import SECRET, jpeg_with_exif
from test_tool import spur

H = "/api/hunts/test-hunt"
ADMIN = "/api/admin/hunts/test-hunt"


def photo_hunt():
    hunt = demo_hunt()
    hunt["late_sync_grace"] = 3600
    hunt["photo_consent"] = "Wir zeigen freigegebene Fotos nur bei der Siegerehrung."
    hunt["puzzles"] += [
        {"id": "gruppenfoto", "title": "Gruppenfoto", "kind": "photo", "points": 5, "place": "brunnen",
         "clue": "Ein Foto eures Teams vor dem Brunnen."},
        {"id": "selfie", "title": "Selfie", "kind": "photo", "review": "auto", "points": 4,
         "clue": "Ein Selfie mit dem Rathaus."},
    ]
    return hunt


class PhotoCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spur-photos-")
        with Server(hunt_json=photo_hunt()) as srv:
            # a portrait A4 page at 200 dpi (1654 x 2339), marked "turn 90°" and
            # carrying a secret in its EXIF, as a phone's photo carries the home's GPS
            cls.jpeg = jpeg_with_exif(poster_jpeg(srv.db, "test-hunt", cls.tmp, dpi=200), 6,
                                      SECRET)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.srv = Server(hunt_json=photo_hunt()).__enter__()
        self.tok, _ = new_team(self.srv, "Fotofreunde")

    def tearDown(self):
        self.srv.__exit__(None, None, None)

    def upload(self, puzzle="gruppenfoto", data=None, tok=None, ctype="image/jpeg", query=""):
        st, headers, raw = self.srv.request(
            "POST", f"{H}/puzzles/{puzzle}/photo{query}", raw_body=self.jpeg if data is None else data,
            headers={"Content-Type": ctype}, token=tok or self.tok, timeout=30)
        return st, headers, json.loads(raw) if raw else None

    def review(self, photo_id, **body):
        return self.srv.json("POST", f"{ADMIN}/photos/{photo_id}/review", body,
                             token=ADMIN_TOKEN, headers={"X-Staff-Name": "Jana"})

    def puzzle(self, pid, tok=None):
        st, body = self.srv.json("GET", f"{H}/puzzles", token=tok or self.tok)
        return next(p for p in body if p["id"] == pid)

    def score(self, tok=None):
        return self.srv.json("GET", f"{H}/me", token=tok or self.tok)[1]["score"]


class TestUpload(PhotoCase):
    def test_a_photo_is_pending_scaled_upright_and_without_metadata(self):
        self.assertEqual(self.puzzle("gruppenfoto")["photos_left"], 5)
        self.assertIn("Siegerehrung", self.srv.json("GET", H)[1]["photo_consent"])
        st, headers, body = self.upload()
        self.assertEqual(st, 202, body)
        self.assertEqual(body["status"], "pending")
        self.assertRegex(body["id"], r"^[0-9a-f]{32}$")
        self.assertIn("geprüft", body["message"])
        p = self.puzzle("gruppenfoto")
        self.assertEqual((p["status"], p["photo"]["status"], p["photos_left"]),
                         ("open", "pending", 4))
        st, headers, img = self.srv.request("GET", p["photo"]["url"], token=self.tok)
        self.assertEqual((st, headers["content-type"]), (200, "image/jpeg"))
        self.assertIn("private", headers["cache-control"])
        self.assertTrue(img.startswith(b"\xff\xd8"))
        self.assertNotIn(SECRET, img)
        self.assertNotIn(b"Exif", img[:4096])
        # the file beside the database is the same copy
        path = os.path.join(self.srv.db + "-photos", "test-hunt", body["id"] + ".jpg")
        with open(path, "rb") as f:
            self.assertEqual(f.read(), img)
        # turned upright (landscape now) and at most 1600 px
        st, listing = self.srv.json("GET", f"{ADMIN}/photos?status=pending", token=ADMIN_TOKEN)
        self.assertEqual((listing["pending"], listing["total"]), (1, 1))
        ph = listing["photos"][0]
        self.assertEqual((ph["width"], ph["height"]), (1600, round(1600 * 1654 / 2339)))
        self.assertEqual((ph["team"]["name"], ph["puzzle"]["id"], ph["status"]),
                         ("Fotofreunde", "gruppenfoto", "pending"))
        # staff see it too; another team and nobody do not
        st, _, _ = self.srv.request("GET", p["photo"]["url"], token=ADMIN_TOKEN)
        self.assertEqual(st, 200)
        other, _ = new_team(self.srv, "Neugierig")
        self.assertEqual(self.srv.json("GET", p["photo"]["url"], token=other)[1]["error"],
                         "unknown_photo")
        self.assertEqual(self.srv.json("GET", p["photo"]["url"])[0], 401)

    def test_what_is_no_photo_or_too_big_is_refused_and_nothing_is_stored(self):
        st, _, body = self.upload(ctype="image/png")
        self.assertEqual((st, body["error"]), (415, "unsupported_media_type"))
        st, _, body = self.upload(data=b"\xff\xd8\xff\xe0 kein Foto " * 100)
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        st, _, body = self.upload(data=b"GIF89a" + b"\0" * 100)
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        st, _, body = self.upload(data=self.jpeg[: len(self.jpeg) // 2])  # cut off
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        st, _, body = self.upload(data=b"")
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        st, _, body = self.upload(data=self.jpeg + b"\0" * (8 * 1024 * 1024))
        self.assertEqual(st, 413)
        st, _, body = self.upload(puzzle="stufen")
        self.assertEqual((st, body["error"]), (409, "not_photo"))
        st, _, body = self.upload(puzzle="gibtsnicht")
        self.assertEqual((st, body["error"]), (404, "unknown_puzzle"))
        st, _, body = self.upload(tok="x" * 43)
        self.assertEqual(st, 401)
        st, body = self.srv.json("POST", f"{H}/puzzles/gruppenfoto/answer", {"answer": "foto"},
                                 token=self.tok)
        self.assertEqual((st, body["error"]), (409, "not_answerable"))
        self.assertIn("Foto", body["message"])
        self.assertEqual(self.srv.json("GET", f"{ADMIN}/photos", token=ADMIN_TOKEN)[1]["total"], 0)
        self.assertNotIn("photo", self.puzzle("gruppenfoto"))
        self.assertTrue(self.srv.alive())

    def test_one_pending_photo_per_puzzle_and_a_retry_gets_the_same_answer(self):
        st, _, first = self.upload(query="?client_id=foto-1")
        self.assertEqual(st, 202)
        st, headers, again = self.upload(query="?client_id=foto-1")
        self.assertEqual((st, headers.get("x-spur-replay"), again["id"]), (202, "1", first["id"]))
        st, _, body = self.upload(query="?client_id=foto-2")
        self.assertEqual((st, body["error"]), (409, "photo_pending"))
        st, _, body = self.upload(puzzle="selfie", query="?client_id=foto-1")
        self.assertEqual((st, body["error"]), (409, "client_id_reused"))
        self.assertEqual(self.srv.json("GET", f"{ADMIN}/photos", token=ADMIN_TOKEN)[1]["total"], 1)

    def test_many_big_uploads_at_once_are_refused_before_their_bytes_arrive(self):
        # 64 MiB of big bodies at once: eight 8 MiB uploads fit, the ninth gets 503
        socks = []
        try:
            for i in range(9):
                s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=5)
                s.sendall((f"POST {H}/puzzles/gruppenfoto/photo HTTP/1.1\r\nHost: x\r\n"
                           f"Authorization: Bearer {self.tok}\r\nContent-Type: image/jpeg\r\n"
                           f"Content-Length: {8 * 1024 * 1024}\r\n\r\n").encode())
                socks.append(s)
            time.sleep(0.3)
            socks[-1].settimeout(5)
            reply = socks[-1].recv(4096)
            self.assertIn(b" 503 ", reply.split(b"\r\n", 1)[0])
            self.assertIn(b"Retry-After", reply)
        finally:
            for s in socks:
                s.close()
        time.sleep(0.3)  # the closed ones gave their share back
        st, _, body = self.upload()
        self.assertEqual(st, 202, body)


class TestReview(PhotoCase):
    def test_staff_approve_with_fewer_points_revoke_and_the_team_sends_again(self):
        st, _, sent = self.upload()
        pid = sent["id"]
        st, body = self.review(pid, approve=True, points=6)
        self.assertEqual((st, body["error"]), (400, "bad_points"))
        st, body = self.review(pid, approve="ja")
        self.assertEqual(st, 400)
        st, body = self.review(pid, approve=True, points=3)
        self.assertEqual((st, body["status"], body["points"]), (200, "approved", 3))
        self.assertEqual(self.score(), 3)
        p = self.puzzle("gruppenfoto")
        self.assertEqual((p["status"], p["points_earned"], p["photo"]["status"]),
                         ("solved", 3, "approved"))
        st, body = self.review(pid, approve=True)
        self.assertEqual((st, body["error"]), (409, "already_reviewed"))
        st, _, body = self.upload()
        self.assertEqual((st, body["error"]), (409, "already_solved"))
        # staff change their mind: revoked, with a word for the team
        st, body = self.review(pid, approve=False, message="Da ist ja gar kein Brunnen.")
        self.assertEqual((st, body["status"]), (200, "rejected"))
        self.assertEqual(self.score(), 0)
        p = self.puzzle("gruppenfoto")
        self.assertEqual((p["status"], p["photo"]["status"], p["photo"]["message"]),
                         ("open", "rejected", "Da ist ja gar kein Brunnen."))
        st, body = self.review(pid, approve=False)
        self.assertEqual((st, body["error"]), (409, "already_reviewed"))
        st, _, second = self.upload()
        self.assertEqual((st, second["status"]), (202, "pending"))
        self.assertEqual(self.review(second["id"], approve=True)[1]["points"], 5)
        self.assertEqual(self.score(), 5)
        # the staff log says who decided what
        st, log = self.srv.json("GET", f"{ADMIN}/log", token=ADMIN_TOKEN)
        entries = [e for e in log["entries"] if e["action"] == "review_photo"]
        self.assertEqual(len(entries), 3)
        self.assertEqual(entries[0]["who"], "Jana")
        # all of it survives a power cut
        self.srv.kill()
        self.srv.start()
        self.assertEqual(self.score(), 5)
        st, listing = self.srv.json("GET", f"{ADMIN}/photos", token=ADMIN_TOKEN)
        self.assertEqual([(p["status"], p["points"]) for p in listing["photos"]],
                         [("rejected", 0), ("approved", 5)])
        self.assertEqual(listing["photos"][0]["message"], "Da ist ja gar kein Brunnen.")

    def test_auto_review_counts_at_once_and_staff_may_revoke(self):
        st, _, body = self.upload(puzzle="selfie")
        self.assertEqual((st, body["status"], body["points"], body["score"]),
                         (202, "approved", 4, 4))
        self.assertEqual(self.puzzle("selfie")["status"], "solved")
        st, body = self.review(body["id"], approve=False, message="Kein Rathaus zu sehen.")
        self.assertEqual(st, 200)
        self.assertEqual(self.score(), 0)
        self.srv.restart()
        self.assertEqual(self.score(), 0)
        self.assertEqual(self.puzzle("selfie")["photo"]["status"], "rejected")

    def test_a_rejected_photo_may_be_sent_again_five_times_in_all(self):
        for i in range(5):
            st, _, body = self.upload()
            self.assertEqual(st, 202, body)
            self.assertEqual(self.review(body["id"], approve=False)[0], 200)
        self.assertEqual(self.puzzle("gruppenfoto")["photos_left"], 0)
        st, _, body = self.upload()
        self.assertEqual((st, body["error"]), (409, "photo_limit"))

    def test_a_team_sends_at_most_fifty_photos_in_all(self):
        small = poster_jpeg(self.srv.db, "test-hunt", self.tmp, dpi=20)
        hunt = photo_hunt()
        hunt["puzzles"] += [{"id": f"foto-{i}", "title": f"Foto {i}", "kind": "photo",
                             "points": 1} for i in range(10)]
        with Server(hunt_json=hunt) as srv:
            self.srv, outer = srv, self.srv
            try:
                tok, _ = new_team(srv, "Fleißig")
                for i in range(50):
                    st, _, body = self.upload(puzzle=f"foto-{i // 5}", data=small, tok=tok)
                    self.assertEqual(st, 202, body)
                    self.assertEqual(self.review(body["id"], approve=False)[0], 200)
                self.assertEqual(self.puzzle("gruppenfoto", tok)["photos_left"], 0)
                st, _, body = self.upload(data=small, tok=tok)
                self.assertEqual((st, body["error"]), (409, "photo_limit"))
                self.assertIn("50", body["message"])
            finally:
                self.srv = outer

    def test_the_big_screen_shows_approved_photos_their_teams_allowed(self):
        other, _ = new_team(self.srv, "Schüchtern")
        st, _, shown = self.upload(query="?client_id=mit-leinwand&screen=1")
        self.assertEqual(st, 202, shown)
        st, _, shy = self.upload(tok=other)
        st, body = self.srv.json("GET", f"{H}/photos")
        self.assertEqual((st, body), (200, {"photos": []}))  # nothing approved yet
        self.review(shown["id"], approve=True)
        self.review(shy["id"], approve=True)
        st, body = self.srv.json("GET", f"{H}/photos")
        self.assertEqual([(p["team"], p["puzzle"]) for p in body["photos"]],
                         [("Fotofreunde", "Gruppenfoto")])
        st, _, img = self.srv.request("GET", body["photos"][0]["url"])  # no token
        self.assertEqual(st, 200)
        self.assertEqual(self.srv.json("GET", f"{H}/photos/{shy['id']}.jpg")[0], 401)
        st, listing = self.srv.json("GET", f"{ADMIN}/photos", token=ADMIN_TOKEN)
        self.assertEqual([p["screen"] for p in listing["photos"]], [True, False])
        # staff hide the team from the public board: its photo leaves the screen too
        team_id = listing["photos"][0]["team"]["id"]
        st, _ = self.srv.json("PATCH", f"{ADMIN}/teams/{team_id}", {"hidden": True},
                              token=ADMIN_TOKEN)
        self.assertEqual(st, 200)
        self.assertEqual(self.srv.json("GET", f"{H}/photos")[1], {"photos": []})

    def test_the_list_filters_and_needs_staff(self):
        a, _ = new_team(self.srv, "Zweite")
        self.upload()
        st, _, b = self.upload(tok=a)
        self.review(b["id"], approve=True)
        st, listing = self.srv.json("GET", f"{ADMIN}/photos?status=approved", token=ADMIN_TOKEN)
        self.assertEqual([p["team"]["name"] for p in listing["photos"]], ["Zweite"])
        self.assertEqual(listing["pending"], 1)
        st, body = self.srv.json("GET", f"{ADMIN}/photos?status=vielleicht", token=ADMIN_TOKEN)
        self.assertEqual(st, 400)
        self.assertEqual(self.srv.json("GET", f"{ADMIN}/photos", token=self.tok)[0], 401)
        st, body = self.review("0" * 32, approve=True)
        self.assertEqual((st, body["error"]), (404, "unknown_photo"))


class TestPhotoTools(PhotoCase):
    def test_export_backup_restore_and_purge_take_the_photo_files_along(self):
        other, _ = new_team(self.srv, "Zweite / Klasse 4b")
        st, _, a = self.upload()
        st, _, b = self.upload(tok=other)
        self.review(b["id"], approve=True, points=2)
        out = os.path.join(self.tmp, "website")
        r = spur("export", "--db", self.srv.db, "--hunt", "test-hunt", "--photos", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 approved photos", r.stdout)
        files = sorted(os.listdir(out))
        self.assertEqual(files, ["gruppenfoto_Zweite-Klasse-4b_%s.jpg" % b["id"][:8], "index.csv"])
        with open(os.path.join(out, "index.csv"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "file,team,puzzle,points,taken_at")
        self.assertTrue(lines[1].startswith('"%s","Zweite / Klasse 4b","gruppenfoto",2,' % files[0]))
        # a backup carries the photos along; a restore puts them back beside the database
        backup = os.path.join(self.tmp, "sicherung.db")
        r = spur("backup", "--db", self.srv.db, "-o", backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(backup + "-photos/test-hunt")),
                         sorted([a["id"] + ".jpg", b["id"] + ".jpg"]))
        fresh = os.path.join(self.tmp, "neu.db")
        r = spur("restore", "--db", fresh, backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2 photos restored", r.stdout)
        self.assertEqual(len(os.listdir(fresh + "-photos/test-hunt")), 2)
        # purge deletes the files; scores stay
        r = spur("purge", "--db", self.srv.db, "--hunt", "test-hunt", "--photos", "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("deleted 2 photos", r.stdout)
        self.assertFalse(os.path.exists(self.srv.db + "-photos/test-hunt"))
        st, _, _ = self.srv.request("GET", f"{H}/photos/{b['id']}.jpg", token=ADMIN_TOKEN)
        self.assertEqual(st, 404)
        self.assertEqual(self.score(other), 2)
        r = spur("purge", "--db", self.srv.db, "--hunt", "test-hunt", "--photos", "--yes")
        self.assertIn("no photos stored", r.stdout)


class TestPhotoFile(unittest.TestCase):
    def check(self, hunt):
        d = tempfile.mkdtemp(prefix="spur-photo-check-")
        path = os.path.join(d, "hunt.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(hunt, f, indent=2)
        r = spur("check", path)
        shutil.rmtree(d)
        return r

    def test_photo_puzzles_in_the_hunt_file(self):
        r = self.check(photo_hunt())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("warning", r.stderr)
        hunt = photo_hunt()
        del hunt["photo_consent"]
        hunt["late_sync_grace"] = 600
        r = self.check(hunt)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('photo puzzles without "photo_consent"', r.stderr)
        self.assertIn('a longer "late_sync_grace"', r.stderr)
        hunt = photo_hunt()
        hunt["puzzles"][-1]["answer"] = {"accept": ["x"]}
        hunt["puzzles"][-1]["review"] = "manchmal"
        hunt["puzzles"][0]["review"] = "auto"
        r = self.check(hunt)
        self.assertEqual(r.returncode, 1)
        self.assertIn('a photo puzzle is solved by a photo; it has no "answer"', r.stderr)
        self.assertIn('"review" is "staff" or "auto", not "manchmal"', r.stderr)
        self.assertIn('only a photo puzzle ("kind": "photo") has a "review"', r.stderr)


if __name__ == "__main__":
    unittest.main()
