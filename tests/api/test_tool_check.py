"""`spur check` as an organizer meets it: broken hunt files written here, each
answered with exactly the located lines (FILE:LINE:COL pointing at the offending
value, sorted by position) and the summary; German messages by locale; comment keys;
`spur new` writing a starter hunt that passes. Runs the real binary from $SPUR_BUILD;
no server needed."""

import copy
import json
import os
import unittest

from test_tool import ROOT, ToolTest, spur

BASE = {
    "id": "mini", "title": "Mini",
    "starts_at": "2026-01-01T10:00:00+01:00", "ends_at": "2027-01-01T10:00:00+01:00",
    "places": [{"id": "tor", "name": "Stadttor"}],
    "puzzles": [
        {"id": "tor", "title": "Das Tor", "kind": "scan", "place": "tor", "points": 5},
        {"id": "frage", "title": "Frage", "points": 3, "answer": {"accept": ["Straße"]}},
    ],
}


class BrokenHuntTest(ToolTest):
    def check(self, change, lang="C"):
        """Writes BASE changed by change (pretty-printed, so lines are predictable) and
        runs check on it. Returns (exit code, stdout, stderr lines with FILE for the path)."""
        hunt = copy.deepcopy(BASE)
        change(hunt)
        path = self.hunt_file("hunt.json", hunt)
        r = spur("check", path, lang=lang)
        return r.returncode, r.stdout, r.stderr.replace(path, "FILE").splitlines()

    def assert_check(self, change, lines, lang="C"):
        code, out, err = self.check(change, lang)
        self.assertEqual(err, lines)
        self.assertEqual((code, out), (1, ""))

    def test_duplicate_ids_point_at_the_second_id(self):
        def change(h):
            h["places"].append({"id": "tor", "name": "Noch ein Tor"})
            h["puzzles"].append({"id": "frage", "title": "F2", "points": 1,
                                 "answer": {"number": 1}})
            h["prizes"] = [{"id": "p", "name": "P", "count": 1},
                           {"id": "p", "name": "Q", "count": 1}]
        self.assert_check(change, [
            'FILE:11:5: warning: place "tor" is not used by any puzzle',
            'FILE:12:13: error: duplicate place id "tor" (also places[0])',
            'FILE:35:13: error: duplicate puzzle id "frage" (also puzzles[1])',
            'FILE:50:13: error: duplicate prize id "p" (also prizes[0])',
            "3 errors, 1 warning",
        ])

    def test_requires_names_the_missing_puzzle_and_the_cycle(self):
        def change(h):
            h["puzzles"][1]["requires"] = ["fragee", "c"]
            h["puzzles"].append({"id": "c", "title": "C", "points": 1, "requires": ["frage"],
                                 "answer": {"number": 1}})
        self.assert_check(change, [
            'FILE:30:9: error: requires unknown puzzle "fragee"; did you mean "frage"?',
            'FILE:38:19: error: "requires" forms a cycle: frage -> c -> frage',
            "2 errors",
        ])

    def test_scan_without_place_choice_out_of_range_negative_tolerance(self):
        def change(h):
            del h["puzzles"][0]["place"]
            h["puzzles"][1]["answer"] = {"choices": ["ja", "nein"], "correct": 5}
            h["puzzles"].append({"id": "zahl", "title": "Z", "points": 1,
                                 "answer": {"number": 7, "tolerance": -0.5}})
        self.assert_check(change, [
            'FILE:7:5: warning: place "tor" is not used by any puzzle',
            'FILE:13:5: error: a scan puzzle needs a "place"',
            'FILE:28:20: error: "correct" is 5 but the choices are numbered 0 to 1',
            'FILE:37:22: error: "tolerance" must not be negative',
            "3 errors, 1 warning",
        ])

    def test_end_before_start(self):
        self.assert_check(lambda h: h.update(ends_at="2025-12-31T10:00:00+01:00"), [
            'FILE:5:14: error: "ends_at" must be after "starts_at"',
            "1 error",
        ])

    def test_a_grace_over_a_day_and_a_team_of_nobody_are_refused(self):
        def change(h):
            h["late_sync_grace"] = 86401  # a day and a second
            h["max_team_members"] = 0
        self.assert_check(change, [
            'FILE:31:22: error: "late_sync_grace" must be between 0 and 86400',
            'FILE:32:23: error: "max_team_members" must be between 1 and 1000',
            "2 errors",
        ])

    def test_min_score_above_what_any_team_can_reach(self):
        def change(h):
            h["prizes"] = [{"id": "gross", "name": "G", "count": 1,
                            "eligible": {"min_score": 9}},
                           {"id": "alle", "name": "A", "count": "all", "eligible": "finished"}]
        self.assert_check(change, [
            'FILE:37:22: error: "min_score" 9 is above the highest possible score (8)',
            "1 error",
        ])

    def test_finished_prize_without_puzzles(self):
        def change(h):
            h["puzzles"], h["places"] = [], []
            h["prizes"] = [{"id": "urkunde", "name": "U", "count": "all",
                            "eligible": "finished"}]
        self.assert_check(change, [
            "FILE:7:14: warning: the hunt has no puzzles",
            "FILE:13:19: error: no team can finish a hunt without puzzles",
            "1 error, 1 warning",
        ])

    def test_a_puzzle_behind_one_that_opens_after_the_end_is_unreachable(self):
        def change(h):
            h["puzzles"][1]["opens_at"] = "2027-02-01T10:00:00+01:00"
            h["puzzles"].append({"id": "danach", "title": "D", "points": 2,
                                 "requires": ["frage"], "answer": {"number": 1}})
            h["prizes"] = [{"id": "urkunde", "name": "U", "count": "all",
                            "eligible": "finished"}]
        self.assert_check(change, [
            'FILE:29:19: warning: "opens_at" is after "ends_at": the puzzle never opens',
            'FILE:36:9: warning: requires "frage", which never opens: '
            'no team can reach puzzle "danach"',
            'FILE:48:19: error: no team can finish: puzzle "frage" never opens',
            "1 error, 2 warnings",
        ])

    def test_unreachable_puzzles_alone_are_warnings(self):
        def change(h):
            h["puzzles"][1]["opens_at"] = "2027-02-01T10:00:00+01:00"
        code, out, err = self.check(change)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "FILE: ok (2 puzzles, 1 place)\n".replace("FILE", out.split(":")[0]))
        self.assertEqual(err[-1], "1 warning")

    def test_answers_equal_after_normalisation_are_located_warnings(self):
        def change(h):
            h["puzzles"][1]["answer"] = {"accept": ["Straße", "Rathaus", "strasse "],
                                         "partial": {"Fast": "Fast!", "RATHAUS": "Ja?"}}
        for lang, lines in (("C", [
                'FILE:28:11: warning: puzzle "frage": the answers "Straße" and "strasse " '
                'are the same after normalisation',
                'FILE:32:22: warning: puzzle "frage": the answers "Rathaus" and "RATHAUS" '
                'are the same after normalisation',
                "2 warnings"]), ("de_DE.UTF-8", [
                'FILE:28:11: Warnung: Rätsel "frage": die Antworten "Straße" und "strasse " '
                'sind nach dem Vereinheitlichen gleich',
                'FILE:32:22: Warnung: Rätsel "frage": die Antworten "Rathaus" und "RATHAUS" '
                'sind nach dem Vereinheitlichen gleich',
                "2 Warnungen"])):
            code, out, err = self.check(change, lang)
            self.assertEqual(err, lines)
            self.assertEqual(code, 0)  # warnings only: the file is fine to import
            self.assertIn(": ok (" if lang == "C" else ": in Ordnung (", out)

    def test_unknown_keys_have_suggestions_and_underscore_keys_are_comments(self):
        def change(h):
            h["_comment"] = "Kommentar"
            h["puzzles"][1]["_note"] = {"x": 1}
            h["puzzles"][1]["answer"]["_why"] = "y"
            h["places"][0]["naem"] = "x"
            h["puzzles"][1]["hint"] = []
        self.assert_check(change, [
            'FILE:10:15: error: unknown key "naem"; did you mean "name"?',
            'FILE:34:15: error: unknown key "hint"; did you mean "hints"?',
            "2 errors",
        ])

    def test_comment_keys_anywhere_are_ignored(self):
        def change(h):
            h["_comment"] = "top"
            h["places"][0]["_wo"] = "hinter der Tür"
            h["puzzles"][1]["answer"]["partial"] = {"Strase": "Fast!", "_note": 3}
            h["prizes"] = [{"id": "p", "name": "P", "count": 1, "_c": None,
                            "eligible": {"min_score": 1, "_c": [1]}}]
        code, out, err = self.check(change)
        self.assertEqual((code, err), (0, []))
        self.assertTrue(out.endswith(": ok (2 puzzles, 1 place)\n"), out)

    def test_german_messages_by_locale(self):
        def change(h):
            h["puzzles"][1]["requires"] = ["fragee"]
            h["titel"] = "x"
        lines = [
            'FILE:30:9: Fehler: setzt das unbekannte Rätsel "fragee" voraus; '
            'meinten Sie "frage"?',
            'FILE:34:12: Fehler: unbekannter Schlüssel "titel"; meinten Sie "title"?',
            "2 Fehler",
        ]
        self.assert_check(change, lines, lang="de_DE.UTF-8")
        code, out, err = self.check(lambda h: None, lang="de_DE.UTF-8")
        self.assertEqual(code, 0)
        self.assertTrue(out.endswith(": in Ordnung (2 Rätsel, 1 Ort)\n"), out)


class ExampleHuntsTest(ToolTest):
    def test_puzzle_examples_pass_without_errors(self):
        for name in ("demo.json", "example-schule.json"):
            r = spur("check", os.path.join("puzzles", name), cwd=ROOT)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("error", r.stderr)


class NewTest(ToolTest):
    def test_new_writes_a_commented_hunt_that_passes_check(self):
        for lang, language in (("C", "en"), ("de_DE.UTF-8", "de")):
            path = os.path.join(self.dir, f"neu-{language}.json")
            r = spur("new", path, lang=lang)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(path, encoding="utf-8") as f:
                hunt = json.load(f)
            self.assertEqual(hunt["language"], language)
            self.assertIn("_comment", hunt)
            r = spur("check", path)
            self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_new_never_overwrites(self):
        path = self.write("mine.json", "{}")
        r = spur("new", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("already exists", r.stderr)
        with open(path) as f:
            self.assertEqual(f.read(), "{}")

    def test_new_without_file_prints_the_hunt(self):
        r = spur("new")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(json.loads(r.stdout)["id"], "my-hunt")


if __name__ == "__main__":
    unittest.main()
