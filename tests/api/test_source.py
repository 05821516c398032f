"""The web editor's hunt files on a real spurd: GET/PUT /api/admin/hunts/{h}/source with
ETag and If-Match (428, 412, 422, dry run), a save applied at once without SIGHUP and
with progress kept, the version history (also of `spur import`, at most 100 a hunt),
pictures uploaded for the file to name (POST …/media), the print products made by
the spur tool (GET …/print/{posters,flyer,sheet}.pdf), POST /api/admin/hunts (the
starter of `spur new`) and POST /api/admin/preview (a puzzle as teams get it, an answer
judged by the game rules)."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from spurlib import ADMIN_TOKEN, DemoHuntCase, Server, demo_hunt
from test_pictures import png
from test_tool import spur

H = "test-hunt"
SRC = f"/api/admin/hunts/{H}/source"
JSON = {"Content-Type": "application/json"}


def pretty(hunt):
    return json.dumps(hunt, ensure_ascii=False, indent=2) + "\n"


class SourceTest(unittest.TestCase):
    def setUp(self):
        self.srv = Server(hunt_json=demo_hunt()).__enter__()

    def tearDown(self):
        self.srv.__exit__(None, None, None)

    def get(self):
        """The stored file: (text, etag)."""
        st, hdrs, body = self.srv.request("GET", SRC, token=ADMIN_TOKEN)
        self.assertEqual(st, 200)
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        self.assertEqual(hdrs["cache-control"], "no-store")
        return body.decode("utf-8"), hdrs["etag"]

    def put(self, text, etag, dry=False, lang="de", who=None):
        headers = dict(JSON, **{"Accept-Language": lang})
        if etag is not None:
            headers["If-Match"] = etag
        if who:
            headers["X-Staff-Name"] = who
        path = SRC + ("?dry_run=1" if dry else "")
        return self.srv.json("PUT", path, raw_body=text.encode("utf-8"), headers=headers,
                             token=ADMIN_TOKEN)

    def test_get_gives_the_imported_file_byte_for_byte_with_its_etag(self):
        with open(os.path.join(self.srv.tmp, "hunt.json"), encoding="utf-8") as f:
            imported = f.read()
        text, etag = self.get()
        self.assertEqual(text, imported)
        self.assertRegex(etag, r'^"[0-9a-f]{32}"$')
        self.assertEqual(self.get()[1], etag)
        self.assertEqual(self.srv.request("GET", SRC)[0], 401)
        self.assertEqual(self.srv.request("GET", "/api/admin/hunts/nope/source",
                                          token=ADMIN_TOKEN)[0], 404)
        self.assertEqual(self.srv.request("DELETE", SRC, token=ADMIN_TOKEN)[0], 405)

    def test_a_save_applies_at_once_and_keeps_codes_and_progress(self):
        st, team = self.srv.json("POST", f"/api/hunts/{H}/teams", {"name": "Füchse"})
        self.assertEqual(st, 201)
        tok = team["token"]
        st, _ = self.srv.json("POST", f"/api/hunts/{H}/puzzles/stufen/answer", {"answer": "42"},
                              token=tok)
        self.assertEqual(st, 200)
        text, etag = self.get()
        hunt = json.loads(text)
        hunt["title"] = "Neue Rallye"
        hunt["puzzles"][2]["clue"] = "Zählt die Stufen am Rathaus."
        new = pretty(hunt)

        st, body = self.put(new, etag, who="Anna")
        self.assertEqual(st, 200, body)
        self.assertFalse(body["dry_run"])
        self.assertEqual(body["summary"],
                         "1 Einstellung geändert, 1 Rätsel geändert; Codes und Fortschritt "
                         "bleiben erhalten")
        self.assertEqual([(c["what"], c["change"], c["id"], c["keys"]) for c in body["changes"]],
                         [("setting", "changed", "title", []),
                          ("puzzle", "changed", "stufen", ["clue"])])
        self.assertEqual(body["warnings"], [])
        # no SIGHUP: the team sees the new clue and keeps its score
        self.assertEqual(self.srv.json("GET", f"/api/hunts/{H}")[1]["title"], "Neue Rallye")
        puzzles = self.srv.json("GET", f"/api/hunts/{H}/puzzles", token=tok)[1]
        stufen = next(p for p in puzzles if p["id"] == "stufen")
        self.assertEqual(stufen["clue"], "Zählt die Stufen am Rathaus.")
        self.assertEqual(stufen["status"], "solved")
        self.assertEqual(self.srv.json("GET", f"/api/hunts/{H}/me", token=tok)[1]["score"], 8)
        # the new ETag is the stored file's, and the text is kept as sent
        self.assertEqual(self.get(), (new, body["etag"]))
        # who and when: the version list and the staff log
        st, versions = self.srv.json("GET", f"/api/admin/hunts/{H}/versions", token=ADMIN_TOKEN)
        self.assertEqual(st, 200)
        self.assertEqual([(v["version"], v["who"]) for v in versions["versions"]],
                         [(body["version"], "Anna"), (1, "spur import")])
        st, log = self.srv.json("GET", f"/api/admin/hunts/{H}/log", token=ADMIN_TOKEN)
        self.assertEqual((log["entries"][0]["action"], log["entries"][0]["who"]),
                         ("save_hunt", "Anna"))
        # and it all survives a restart
        self.srv.restart()
        self.assertEqual(self.get(), (new, body["etag"]))
        self.assertEqual(self.srv.json("GET", f"/api/hunts/{H}/me", token=tok)[1]["score"], 8)

    def test_if_match_is_required_and_a_stale_one_changes_nothing(self):
        text, etag = self.get()
        hunt = json.loads(text)
        hunt["title"] = "A"
        st, body = self.put(pretty(hunt), None, lang="en")
        self.assertEqual((st, body["error"]), (428, "if_match_required"))
        st, body = self.put(pretty(hunt), '"' + "0" * 32 + '"')
        self.assertEqual((st, body["error"]), (412, "etag_mismatch"))
        st, body = self.put(pretty(hunt), etag + "x")  # the right one and more is no match
        self.assertEqual(st, 412)
        self.assertIn("neu laden", body["message"])
        self.assertEqual(self.get(), (text, etag))
        # two editors from the same version: the first wins, the second gets 412
        st, first = self.put(pretty(hunt), etag)
        self.assertEqual(st, 200)
        hunt["title"] = "B"
        st, body = self.put(pretty(hunt), etag)
        self.assertEqual(st, 412)
        self.assertEqual(self.srv.json("GET", f"/api/hunts/{H}")[1]["title"], "A")
        # reloading gives the winner's ETag, and re-applying with it works
        text2, etag2 = self.get()
        self.assertEqual(etag2, first["etag"])
        st, body = self.put(pretty(hunt), etag2)
        self.assertEqual(st, 200)
        self.assertEqual(self.srv.json("GET", f"/api/hunts/{H}")[1]["title"], "B")

    def test_an_invalid_file_is_422_with_the_checks_problems_and_nothing_changes(self):
        text, etag = self.get()
        hunt = json.loads(text)
        del hunt["puzzles"][1]["answer"]
        st, body = self.put(pretty(hunt), etag, lang="en")
        self.assertEqual(st, 422)
        self.assertEqual(body["error"], "invalid_hunt")
        self.assertFalse(body["ok"])
        paths = {p["path"]: p for p in body["problems"]}
        self.assertIn("puzzles[1]", paths)
        self.assertIsInstance(paths["puzzles[1]"]["line"], int)
        # a picture spurd does not have (the rules passed: the server's own checks run)
        hunt = json.loads(text)
        hunt["puzzles"][0]["image"] = {"file": "tor.jpg", "alt": "Das Tor"}
        st, body = self.put(pretty(hunt), etag, lang="en")
        self.assertEqual(st, 422)
        self.assertEqual([(p["path"], p["message"]) for p in body["problems"]
                          if p["severity"] == "error"],
                         [("puzzles[0].image.file",
                           'the picture "tor.jpg" is not uploaded yet: upload it in the editor '
                           "(or import the hunt with spur import)")])
        # the id is the hunt's own
        hunt = json.loads(text)
        hunt["id"] = "andere"
        st, body = self.put(pretty(hunt), etag)
        self.assertEqual(st, 422)
        self.assertEqual([(p["path"], p["message"]) for p in body["problems"]
                          if p["severity"] == "error"],
                         [("id", 'die id lässt sich hier nicht ändern: das ist die Rallye '
                                 '"test-hunt"')])
        # not JSON at all
        st, body = self.put('{"id": "test-hunt",,}', etag)
        self.assertEqual((st, body["problems"][0]["line"]), (422, 1))
        self.assertEqual(self.get(), (text, etag))

    def test_a_dry_run_lists_changes_and_warnings_and_changes_nothing(self):
        st, team = self.srv.json("POST", f"/api/hunts/{H}/teams", {"name": "Eulen"})
        tok = team["token"]
        for p, a in (("stufen", "42"), ("farbe", "gruen")):
            st, _ = self.srv.json("POST", f"/api/hunts/{H}/puzzles/{p}/answer", {"answer": a},
                                  token=tok)
            self.assertEqual(st, 200)
        text, etag = self.get()
        hunt = json.loads(text)
        hunt["puzzles"] = [p for p in hunt["puzzles"] if p["id"] != "stufen"]
        next(p for p in hunt["puzzles"] if p["id"] == "farbe")["points"] = 9
        hunt["puzzles"].append({"id": "neu", "title": "Neu", "points": 1,
                                "answer": {"number": 1}})
        st, body = self.put(pretty(hunt), etag, dry=True, lang="en")
        self.assertEqual(st, 200, body)
        self.assertTrue(body["dry_run"])
        self.assertNotIn("etag", body)
        self.assertEqual(body["summary"], "1 puzzle added, 1 puzzle removed, 1 puzzle changed; "
                                          "codes and progress are kept")
        self.assertEqual([c["text"] for c in body["changes"]],
                         ["puzzle changed: farbe (points)", "puzzle added: neu",
                          "puzzle removed: stufen"])
        self.assertEqual(body["warnings"], [
            {"id": "stufen", "message": 'puzzle "stufen" would be removed although 1 team '
                                        "solved it; the solves stay in the history but no "
                                        "longer count"},
            {"id": "farbe", "message": 'puzzle "farbe": points change from 4 to 9 although 1 '
                                       "team solved it; their scores change with it and the "
                                       "leaderboard may reorder"}])
        self.assertEqual(self.get(), (text, etag))
        self.assertEqual(self.srv.json("GET", f"/api/hunts/{H}/me", token=tok)[1]["score"], 12)

    def test_versions_can_be_read_back_and_at_most_100_are_kept(self):
        text, etag = self.get()
        hunt = json.loads(text)
        hunt["title"] = "Zwei"
        st, body = self.put(pretty(hunt), etag)
        self.assertEqual(st, 200)
        st, hdrs, old = self.srv.request("GET", f"/api/admin/hunts/{H}/versions/1",
                                         token=ADMIN_TOKEN)
        self.assertEqual((st, old.decode("utf-8")), (200, text))
        self.assertEqual(hdrs["etag"], etag)
        for bad in ("999", "0", "-1", "x", "+1"):
            self.assertEqual(self.srv.request("GET", f"/api/admin/hunts/{H}/versions/{bad}",
                                              token=ADMIN_TOKEN)[0], 404, bad)
        # restoring is saving the old text again
        st, body = self.put(text, body["etag"])
        self.assertEqual(st, 200)
        self.assertEqual(self.get()[0], text)
        # saving the same text again adds no version
        n = len(self.srv.json("GET", f"/api/admin/hunts/{H}/versions", token=ADMIN_TOKEN)[1]
                ["versions"])
        st, _ = self.put(text, self.get()[1])
        self.assertEqual(st, 200)
        versions = self.srv.json("GET", f"/api/admin/hunts/{H}/versions",
                                 token=ADMIN_TOKEN)[1]["versions"]
        self.assertEqual(len(versions), n)
        # spur import adds versions too, and the oldest go past 100
        path = os.path.join(self.srv.tmp, "v.json")
        for i in range(105):
            hunt["title"] = "Fassung %d" % i
            with open(path, "w", encoding="utf-8") as f:
                f.write(pretty(hunt))
            r = spur("import", path, "--db", self.srv.db)
            self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(self.srv.db) as c:
            rows = c.execute("SELECT who, json FROM hunt_versions WHERE hunt_id = ? "
                             "ORDER BY id", (H,)).fetchall()
        self.assertEqual(len(rows), 100)
        self.assertEqual(rows[-1][0], "spur import")
        self.assertEqual(json.loads(rows[-1][1])["title"], "Fassung 104")
        self.assertEqual(json.loads(rows[0][1])["title"], "Fassung 5")

    def upload(self, name, data, ctype="image/png"):
        return self.srv.json("POST", f"/api/admin/hunts/{H}/media?file={name}", raw_body=data,
                             headers={"Content-Type": ctype, "Accept-Language": "en"},
                             token=ADMIN_TOKEN)

    def test_an_uploaded_picture_can_be_named_and_is_served(self):
        st, body = self.upload("bilder/tor.png", png(2000, 1000))
        self.assertEqual(st, 201, body)
        self.assertEqual(body, {"file": "bilder/tor.png", "mime": "image/jpeg", "width": 1280,
                                "height": 640, "bytes": body["bytes"]})
        st, listed = self.srv.json("GET", f"/api/admin/hunts/{H}/media", token=ADMIN_TOKEN)
        self.assertEqual(listed["media"], [body])
        text, etag = self.get()
        hunt = json.loads(text)
        hunt["puzzles"][2]["image"] = {"file": "bilder/tor.png", "alt": "Das Tor"}
        st, saved = self.put(pretty(hunt), etag)
        self.assertEqual(st, 200, saved)
        st, team = self.srv.json("POST", f"/api/hunts/{H}/teams", {"name": "Bilder"})
        puzzles = self.srv.json("GET", f"/api/hunts/{H}/puzzles", token=team["token"])[1]
        image = next(p for p in puzzles if p["id"] == "stufen")["image"]
        self.assertEqual((image["alt"], image["width"], image["height"]), ("Das Tor", 1280, 640))
        st, hdrs, data = self.srv.request("GET", image["url"])
        self.assertEqual((st, hdrs["content-type"], data[:2]), (200, "image/jpeg", b"\xff\xd8"))
        # the same name again replaces the picture
        st, again = self.upload("bilder/tor.png", png(300, 200, alpha=True))
        self.assertEqual((st, again["mime"], again["width"]), (201, "image/webp", 300))
        st, listed = self.srv.json("GET", f"/api/admin/hunts/{H}/media", token=ADMIN_TOKEN)
        self.assertEqual(len(listed["media"]), 1)

    def test_uploads_that_are_not_pictures_or_badly_named_are_refused(self):
        st, body = self.upload("x.png", b"not a picture at all")
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        self.assertIn("is not a picture", body["message"])
        for name in ("", "../x.png", "a//b.png", "/abs.png", "a%5Cb.png", "sp%20ace.png",
                     "./x.png"):
            st, body = self.upload(name, png(10, 10))
            self.assertEqual(st, 400, name)
        st, body = self.upload("x.png", png(10, 10), ctype="application/json")
        self.assertEqual(st, 415)
        st, _ = self.srv.json("POST", f"/api/admin/hunts/{H}/media?file=x.png",
                              raw_body=png(10, 10), headers={"Content-Type": "image/png"})
        self.assertEqual(st, 401)
        st, _ = self.upload("big.png", b"\x89PNG" + b"\0" * (10 * 1024 * 1024))
        self.assertEqual(st, 413)
        st, listed = self.srv.json("GET", f"/api/admin/hunts/{H}/media", token=ADMIN_TOKEN)
        self.assertEqual(listed["media"], [])

    def test_at_most_200_pictures_a_hunt(self):
        with sqlite3.connect(self.srv.db) as c:
            c.executemany("INSERT INTO media(hunt_id, file, key, mime, width, height, data) "
                          "VALUES(?, ?, ?, 'image/jpeg', 1, 1, x'00')",
                          [(H, "f%d.jpg" % i, "%032x" % i) for i in range(200)])
        st, body = self.upload("one-more.png", png(10, 10))
        self.assertEqual((st, body["error"]), (409, "media_full"))
        st, body = self.upload("f7.jpg", png(10, 10))  # replacing one is fine
        self.assertEqual(st, 201)

    def test_a_print_that_fails_is_a_clear_503(self):
        self.srv.env["SPUR_TOOL"] = "/bin/false"
        self.srv.restart()
        st, body = self.srv.json("GET", f"/api/admin/hunts/{H}/print/sheet.pdf",
                                 token=ADMIN_TOKEN)
        self.assertEqual((st, body["error"]), (503, "print_failed"))
        self.assertIn("print sheet of test-hunt failed", self.srv.stderr())

    def test_bodies_over_one_mebibyte_are_413(self):
        _, etag = self.get()
        big = '{"id": "test-hunt", "_pad": "' + "x" * (1 << 20) + '"}'
        st, _ = self.put(big, etag)
        self.assertEqual(st, 413)


class CreateAndPreviewTest(DemoHuntCase):

    def test_a_new_hunt_is_the_starter_with_its_id_and_title(self):
        st, body = self.srv.json("POST", "/api/admin/hunts", {"id": "sommer", "title": "Sommer"},
                                 headers={"X-Staff-Name": "Jana"}, token=ADMIN_TOKEN)
        self.assertEqual(st, 201, body)
        self.assertEqual((body["id"], body["summary"]), ("sommer", "Rallye angelegt"))
        st, hdrs, text = self.srv.request("GET", "/api/admin/hunts/sommer/source",
                                          token=ADMIN_TOKEN)
        self.assertEqual((st, hdrs["etag"]), (200, body["etag"]))
        hunt = json.loads(text)
        self.assertEqual((hunt["id"], hunt["title"]), ("sommer", "Sommer"))
        self.assertIn("_comment", hunt)  # the starter's explanations stay
        self.assertIn("sommer", [h["id"] for h in self.srv.json("GET", "/api/hunts")[1]])
        # the same as `spur new` writes, but for id, title and the dates
        starter = json.loads(spur("new", lang="de_DE.UTF-8").stdout)
        for k in ("id", "title", "starts_at", "ends_at", "freeze_at"):
            starter.pop(k), hunt.pop(k)
        self.assertEqual(hunt, starter)
        st, body = self.srv.json("POST", "/api/admin/hunts", {"id": "sommer"}, token=ADMIN_TOKEN)
        self.assertEqual((st, body["error"]), (409, "hunt_exists"))
        st, body = self.srv.json("POST", "/api/admin/hunts", {"id": "Mit Leerzeichen"},
                                 token=ADMIN_TOKEN)
        self.assertEqual((st, body["problems"][0]["path"]), (422, "id"))
        st, body = self.srv.json("POST", "/api/admin/hunts", {"id": 3}, token=ADMIN_TOKEN)
        self.assertEqual(st, 400)
        st, body = self.srv.json("POST", "/api/admin/hunts", {"id": "x", "extra": 1},
                                 token=ADMIN_TOKEN)
        self.assertEqual(st, 400)
        self.assertEqual(self.srv.json("POST", "/api/admin/hunts", {"id": "y"})[0], 401)

    def pdf_text(self, data):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True,
                                  check=True).stdout

    @unittest.skipUnless(shutil.which("pdftotext"), "needs pdftotext (poppler-utils)")
    def test_posters_flyer_and_sheet_come_as_the_tool_makes_them(self):
        base = f"/api/admin/hunts/{H}/print/"
        st, hdrs, pdf = self.srv.request("GET", base + "posters.pdf", token=ADMIN_TOKEN,
                                         timeout=60)
        self.assertEqual((st, hdrs["content-type"]), (200, "application/pdf"))
        self.assertEqual(hdrs["content-disposition"],
                         'attachment; filename="test-hunt-posters.pdf"')
        text = self.pdf_text(pdf)
        self.assertEqual(text.count("\f"), 2)  # one poster per place
        # the codes point at spurd's own address, as `spur posters --base-url` would
        out = os.path.join(self.srv.tmp, "p.pdf")
        r = spur("posters", "--db", self.srv.db, "--hunt", H, "-o", out, "--base-url",
                 self.srv.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(self.pdf_text(f.read()), text)
        st, _, pdf = self.srv.request("GET", base + "flyer.pdf", token=ADMIN_TOKEN, timeout=60)
        self.assertEqual(st, 200)
        self.assertIn("Test-Rallye", self.pdf_text(pdf))
        st, _, pdf = self.srv.request("GET", base + "sheet.pdf", token=ADMIN_TOKEN, timeout=60)
        self.assertEqual(st, 200)
        self.assertIn("Barbarossa", self.pdf_text(pdf))
        self.assertEqual(self.srv.request("GET", base + "cards.pdf", token=ADMIN_TOKEN)[0], 404)
        self.assertEqual(self.srv.request("GET", base + "posters.pdf")[0], 401)

    def preview(self, hunt, puzzle, answer=None, lang="de"):
        from urllib.parse import quote
        path = "/api/admin/preview?puzzle=" + quote(puzzle)
        if answer is not None:
            path += "&input=" + quote(answer)
        text = hunt if isinstance(hunt, str) else pretty(hunt)
        return self.srv.json("POST", path, raw_body=text.encode("utf-8"),
                             headers=dict(JSON, **{"Accept-Language": lang}), token=ADMIN_TOKEN)

    def test_the_preview_shows_the_puzzle_as_teams_get_it_and_judges_answers(self):
        hunt = demo_hunt()
        st, body = self.preview(hunt, "kaiser")
        self.assertEqual(st, 200, body)
        p = body["puzzle"]
        self.assertEqual((p["id"], p["status"], p["kind"], p["points"]), ("kaiser", "open",
                                                                           "text", 10))
        self.assertEqual(p["clue_html"], "<p>Wer gab der Stadt ihren Beinamen?</p>\n")
        self.assertEqual([h["text"] for h in p["hints"]], ["Rotbart auf Italienisch"])
        self.assertIsNone(body["verdict"])
        # the team API gives the same members for the same puzzle
        st, team = self.srv.json("POST", f"/api/hunts/{H}/teams", {"name": "Vorschau"})
        mine = next(x for x in self.srv.json("GET", f"/api/hunts/{H}/puzzles",
                                             token=team["token"])[1] if x["id"] == "stufen")
        st, body = self.preview(hunt, "stufen")
        for k in ("id", "title", "kind", "points", "status", "place", "clue", "clue_html"):
            self.assertEqual(body["puzzle"][k], mine[k], k)
        # answers, normalised by the game rules
        for answer, result in (("  barbaROSSA! ", "correct"), ("Friedrich", "partial"),
                               ("Karl", "wrong")):
            st, body = self.preview(hunt, "kaiser", answer)
            self.assertEqual(body["verdict"]["result"], result, answer)
        self.assertEqual(body["verdict"]["normalized"], "karl")
        st, body = self.preview(hunt, "kaiser", "Friedrich")
        self.assertEqual(body["verdict"]["message"], "Welcher Friedrich?")
        st, body = self.preview(hunt, "stufen", "42,0")
        self.assertEqual(body["verdict"]["result"], "correct")
        st, body = self.preview(hunt, "find-rathaus", "x")
        self.assertIsNone(body["verdict"])  # a scan is not answered with text

    def test_preview_errors(self):
        hunt = demo_hunt()
        st, body = self.preview(hunt, "nichts")
        self.assertEqual((st, body["error"]), (404, "not_found"))
        bad = demo_hunt()
        del bad["puzzles"][1]["answer"]
        st, body = self.preview(bad, "kaiser")
        self.assertEqual(st, 422)
        self.assertFalse(body["ok"])
        self.assertTrue(body["problems"])
        st, body = self.srv.json("POST", "/api/admin/preview", raw_body=b"{}", headers=JSON,
                                 token=ADMIN_TOKEN)
        self.assertEqual(st, 400)
        st, body = self.preview(hunt, "kaiser", "x" * 600)
        self.assertEqual(st, 400)
        st, _ = self.srv.json("POST", "/api/admin/preview?puzzle=kaiser", raw_body=b"{}",
                              headers=JSON)
        self.assertEqual(st, 401)


if __name__ == "__main__":
    unittest.main()
