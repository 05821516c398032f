"""POST /api/admin/check, the web editor's check as you type: for the same text it
lists exactly the problems `spur check` prints (line, column, severity, message, in
German and in English), a file that is not JSON as one problem at the parser's
place, and it is staff-only with a 1 MiB body limit. A real spurd and the real tool
from $SPUR_BUILD."""

import copy
import json
import os
import re
import shutil
import tempfile
import time
import unittest

from spurlib import ADMIN_TOKEN, Server, demo_hunt
from test_checkin import checkin_hunt
from test_photos import photo_hunt
from test_tool import BASE_HUNT, ROOT, spur

CHECK = "/api/admin/check"
DE = "de_DE.UTF-8"
LIMIT = 1 << 20

# `spur check`'s lines: located, or at a JSON path it could not locate; then the summary.
LOCATED = re.compile(r"^FILE:(\d+):(\d+): (error|warning|Fehler|Warnung): (.*)$")
UNLOCATED = re.compile(r"^FILE: (error|warning|Fehler|Warnung): (?:at|bei) (.*?): (.*)$")
SEVERITY = {"error": "error", "Fehler": "error", "warning": "warning", "Warnung": "warning"}


def pretty(hunt):
    """A hunt file as an organizer writes it: one key per line."""
    return json.dumps(hunt, ensure_ascii=False, indent=2) + "\n"


def broken(change):
    """BASE_HUNT changed by change, pretty-printed."""
    hunt = copy.deepcopy(BASE_HUNT)
    change(hunt)
    return pretty(hunt)


def _set(**keys):
    return lambda h: h.update(keys)


def _hunt_errors(h):
    # test_tool's hunt_errors_are_listed_in_file_order, with more on top
    h["titel"] = h.pop("title")
    h["puzzles"][0]["place"] = "tore"
    h["puzzles"][1]["answer"] = {"number": 3, "tolerance": -1}
    h["puzzles"].append({"id": "c", "title": "C", "points": 1, "requires": ["frag"],
                         "answer": {"choices": ["ja", "nein"], "correct": 2}})
    h["places"].append({"id": "tor", "name": "Noch ein Tor"})
    h["prizes"] = [{"id": "p", "name": "P", "count": 1}, {"id": "p", "name": "Q", "count": 1}]


def _cycle(h):
    h["puzzles"][1]["requires"] = ["fragee", "c"]
    h["puzzles"].append({"id": "c", "title": "C", "points": 1, "requires": ["frage"],
                         "answer": {"number": 1}})


def _types(h):
    h["puzzles"][1]["points"] = "drei"
    h["puzzles"][1]["answer"] = {"accept": ["x", "X!"], "number": 2}
    h["places"][0]["lat"] = 52.5
    h["language"] = "fr"
    h["ends_at"] = "31.12.2026"


def _pictures(h):
    # the rules' own checks on "image" apply; the file is not read by spurd
    h["puzzles"][1]["image"] = {"file": "bilder/fehlt.jpg"}
    h["puzzles"][0]["image"] = {"file": "../aussen.jpg", "alt": "Das Tor"}


def _checkin(h):
    h.clear()
    h.update(checkin_hunt())
    del h["places"][-1]["lat"], h["places"][-1]["lon"]
    h["puzzles"][-2]["radius"] = 5
    h["puzzles"][0]["radius"] = 40


def _photo(h):
    h.clear()
    h.update(photo_hunt())
    del h["photo_consent"]
    h["late_sync_grace"] = 600


# Texts spur check and the API must agree on: (name, text).
HUNT_TEXTS = [
    ("hunt errors in file order", broken(_hunt_errors)),
    ("missing answer", broken(lambda h: h["puzzles"][1].pop("answer"))),
    ("requires cycle", broken(_cycle)),
    ("types and values", broken(_types)),
    ("unknown time zone", broken(_set(time_zone="Europe/Atlantis"))),
    ("malformed time zone", broken(_set(time_zone="../../etc/passwd"))),
    ("warnings only", broken(lambda h: h["places"].append({"id": "leer", "name": "Leer"}))),
    ("pictures, by the rules", broken(_pictures)),
    ("check-in places", broken(_checkin)),
    ("photo puzzles", broken(_photo)),
    ("not an object", "[1, 2]\n"),
    ("umlauts before the problem", broken(lambda h: h["puzzles"][1].update(
        title="Größe", points=-3, clue="Über die Brücke"))),
]

NOT_JSON = [
    ("missing key", '{"id": "x",\n "title": "T",,\n}', 2, 15),
    ("control character after umlaut", '{"id": "x",\n  "title": "Straße\n"}', 2, 19),
    ("duplicate key", '{"id": "x", "id": "y"}', 1, 13),
    ("empty", "", 1, 1),
    ("unterminated", '{\n  "id": "x",\n  "places": [\n', 4, 1),
    ("byte order mark", "\ufeff{}", 1, 1),
]


class EditorCheckTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(hunt_json=demo_hunt()).__enter__()
        cls.dir = tempfile.mkdtemp(prefix="spur-editor-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)
        cls.srv.__exit__(None, None, None)

    def api(self, text, lang=None, token=ADMIN_TOKEN):
        """POST text to the check; returns (status, parsed body)."""
        headers = {"Content-Type": "application/json"}
        if lang:
            headers["Accept-Language"] = lang
        data = text.encode("utf-8") if isinstance(text, str) else text
        return self.srv.json("POST", CHECK, raw_body=data, headers=headers, token=token)

    def tool(self, text=None, path=None, lang="C"):
        """spur check on text (written to a file) or on path: (exit code, problems as
        the API lists them, without paths)."""
        if path is None:
            path = os.path.join(self.dir, "hunt.json")
            with open(path, "wb") as f:
                f.write(text.encode("utf-8"))
        r = spur("check", path, lang=lang)
        lines = r.stderr.replace(path, "FILE").splitlines()
        problems = []
        for line in lines[:-1]:  # the last line is the summary
            m = LOCATED.match(line)
            if m:
                problems.append({"line": int(m[1]), "col": int(m[2]),
                                 "severity": SEVERITY[m[3]], "message": m[4]})
                continue
            m = UNLOCATED.match(line)
            self.assertIsNotNone(m, line)
            problems.append({"line": None, "col": None, "severity": SEVERITY[m[1]],
                             "message": m[3]})
        return r.returncode, problems

    def assert_same(self, text, path=None):
        """In English and in German, the API lists what spur check prints."""
        for lang, header in (("C", "en"), (DE, "de-DE,de;q=0.9"), (DE, None)):
            code, expected = self.tool(text, path, lang)
            st, body = self.api(text, header)
            self.assertEqual(st, 200)
            got = [{k: p[k] for k in ("line", "col", "severity", "message")}
                   for p in body["problems"]]
            self.assertEqual(got, expected[:500], (lang, header))  # the first 500 at most
            self.assertEqual(body["total"], len(expected))
            self.assertEqual(body["ok"], code == 0)
            self.assertEqual(set(body), {"ok", "total", "problems"})
        return body

    def test_broken_hunt_files_get_the_problems_spur_check_prints(self):
        for name, text in HUNT_TEXTS:
            with self.subTest(name):
                body = self.assert_same(text)
                self.assertTrue(body["problems"])

    def test_paths_name_the_offending_value(self):
        st, body = self.api(broken(_hunt_errors), "en")
        self.assertEqual(st, 200)
        self.assertFalse(body["ok"])
        by_message = {p["message"]: p for p in body["problems"]}
        self.assertEqual(by_message['unknown place "tore"; did you mean "tor"?'],
                         {"line": 20, "col": 16, "path": "puzzles[0].place",
                          "severity": "error",
                          "message": 'unknown place "tore"; did you mean "tor"?'})
        self.assertEqual(by_message['missing required key "title"']["path"], "")
        self.assertEqual(by_message['"tolerance" must not be negative']["path"],
                         "puzzles[1].answer.tolerance")

    def test_a_valid_file_is_ok_without_problems(self):
        demo = os.path.join(ROOT, "puzzles", "demo.json")
        with open(demo, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(self.api(text), (200, {"ok": True, "total": 0, "problems": []}))
        self.assert_same(text, path=demo)
        for name in ("example-schule.json",):
            p = os.path.join(ROOT, "puzzles", name)
            with open(p, encoding="utf-8") as f:
                self.assert_same(f.read(), path=p)
        self.assertEqual(self.api(pretty(BASE_HUNT), "en"), (200, {"ok": True, "total": 0, "problems": []}))

    def test_warnings_alone_are_ok(self):
        st, body = self.api(broken(lambda h: h["places"].append({"id": "leer", "name": "Leer"})),
                            "en")
        self.assertEqual(st, 200)
        self.assertTrue(body["ok"])
        self.assertEqual([(p["severity"], p["path"], p["message"]) for p in body["problems"]],
                         [("warning", "places[1]", 'place "leer" is not used by any puzzle')])

    def test_not_json_is_one_problem_at_the_parsers_place(self):
        for name, text, line, col in NOT_JSON:
            with self.subTest(name):
                body = self.assert_same(text)
                self.assertFalse(body["ok"])
                self.assertEqual(len(body["problems"]), 1)
                p = body["problems"][0]
                self.assertEqual((p["line"], p["col"], p["path"], p["severity"]),
                                 (line, col, "", "error"))
        st, body = self.api('{"id": "x",\n "title": "T",,\n}', "de")
        self.assertEqual(body["problems"][0]["message"],
                         "hier wird ein Schlüssel in Anführungszeichen erwartet")

    def test_messages_follow_accept_language_german_by_default(self):
        text = broken(_set(time_zone="Europe/Atlantis"))
        en = self.api(text, "en")[1]["problems"][0]["message"]
        de = self.api(text)[1]["problems"][0]["message"]
        self.assertEqual(en, 'unknown time zone "Europe/Atlantis" (no '
                             '/usr/share/zoneinfo/Europe/Atlantis; is the tzdata package '
                             'installed?)')
        self.assertEqual(de, 'unbekannte Zeitzone "Europe/Atlantis" (es gibt kein '
                             '/usr/share/zoneinfo/Europe/Atlantis; ist das Paket tzdata '
                             'installiert?)')
        self.assertEqual(self.api(text, "fr, en;q=0.5")[1]["problems"][0]["message"], en)

    def test_picture_files_are_not_read(self):
        # spur check reads the file beside the hunt file and finds it missing; spurd has
        # no folder to read it from, so only the rules' checks of "image" apply
        text = broken(lambda h: h["puzzles"][1].update(
            image={"file": "fehlt.jpg", "alt": "Ein Bild"}))
        code, tool = self.tool(text)
        self.assertEqual(code, 1)
        self.assertIn('picture file "fehlt.jpg" not found', tool[0]["message"])
        self.assertEqual(self.api(text), (200, {"ok": True, "total": 0, "problems": []}))

    def test_staff_only(self):
        st, body = self.api("{}", token=None)
        self.assertEqual((st, body["error"]), (401, "unauthorized"))
        st, body = self.api("{}", token="wrong-token")
        self.assertEqual((st, body["error"]), (401, "unauthorized"))
        st, body = self.api("{}", token=self.team_token())
        self.assertEqual((st, body["error"]), (401, "unauthorized"))

    def team_token(self):
        st, body = self.srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "Editoren"})
        self.assertEqual(st, 201, body)
        return body["token"]

    def test_method_and_media_type(self):
        st, hdrs, _ = self.srv.request("GET", CHECK, token=ADMIN_TOKEN)
        self.assertEqual((st, hdrs.get("allow")), (405, "POST"))
        st, _, _ = self.srv.request("POST", CHECK, body=b"{}", token=ADMIN_TOKEN,
                                    headers={"Content-Type": "text/plain"})
        self.assertEqual(st, 415)
        st, _, _ = self.srv.request("POST", CHECK + "/x", body={}, token=ADMIN_TOKEN)
        self.assertEqual(st, 404)

    def test_one_mib_is_checked_and_more_is_413(self):
        hunt = copy.deepcopy(BASE_HUNT)
        hunt["_comment"] = ""
        pad = LIMIT - len(pretty(hunt).encode("utf-8"))
        hunt["_comment"] = "x" * pad
        text = pretty(hunt)
        self.assertEqual(len(text.encode("utf-8")), LIMIT)
        t0 = time.monotonic()
        self.assertEqual(self.api(text, "en"), (200, {"ok": True, "total": 0, "problems": []}))
        self.assertLess(time.monotonic() - t0, 5)
        st, body = self.api(text + " ", "en")
        self.assertEqual((st, body["error"]), (413, "too_large"))
        # the server is still there
        self.assertEqual(self.api("{}", "en")[0], 200)

    def test_many_problems_in_a_big_file(self):
        hunt = copy.deepcopy(BASE_HUNT)
        hunt["puzzles"] += [{"id": "p%d" % i, "title": "P", "points": "x", "requires": ["nope"],
                             "answer": {"accept": [""]}} for i in range(900)]
        body = self.assert_same(pretty(hunt))
        self.assertEqual(len(body["problems"]), 500)
        self.assertGreater(body["total"], 2000)


if __name__ == "__main__":
    unittest.main()
