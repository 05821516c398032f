"""Black-box tests of the `spur` command-line tool (check, import, qr, help) and of
tools/run-demo.sh. Each test runs the real binary from $SPUR_BUILD (default "build")
in a fresh temporary directory; nothing needs a running spurd."""

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from spurlib import schema_version

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, os.environ.get("SPUR_BUILD", "build"))
SPUR = os.path.join(BUILD, "spur")
DEMO = os.path.join(ROOT, "puzzles", "demo.json")
DEMO_PLACES = ["rathaus", "brunnen", "muehle", "buecherei", "bahnhof"]

TOKEN_URL = re.compile(r"^http://127\.0\.0\.1:8080/s/[A-Z2-7]{24}$")
SHORT_CODE = re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}$")

# A small valid hunt the broken variants below start from.
BASE_HUNT = {
    "id": "mini",
    "title": "Mini",
    "starts_at": "2026-01-01T10:00:00+01:00",
    "ends_at": "2027-01-01T10:00:00+01:00",
    "places": [{"id": "tor", "name": "Stadttor"}],
    "puzzles": [
        {"id": "tor", "title": "Das Tor", "kind": "scan", "place": "tor", "points": 5},
        {"id": "frage", "title": "Frage", "points": 3, "answer": {"accept": ["Straße"]}},
    ],
}


def spur(*args, cwd=None, env=None, lang="C"):
    """Runs the tool; messages in English (LANG=C) unless lang says otherwise."""
    env = dict(os.environ if env is None else env)
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(var, None)
    env["LANG"] = lang
    return subprocess.run([SPUR, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=30)


def summary(lines):
    """The summary line check prints after diagnostics like these."""
    errors = sum(": error: " in l for l in lines)
    warnings = sum(": warning: " in l for l in lines)
    parts = []
    if errors:
        parts.append(f"{errors} error" + ("s" if errors > 1 else ""))
    if warnings:
        parts.append(f"{warnings} warning" + ("s" if warnings > 1 else ""))
    return ", ".join(parts)


def load_demo():
    with open(DEMO, encoding="utf-8") as f:
        return json.load(f)


def b32(data):
    return base64.b32encode(data).decode().rstrip("=")


class ToolTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spur-tool-")
        self.db = os.path.join(self.dir, "t.db")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def hunt_file(self, name, hunt):
        """Writes hunt pretty-printed (one key per line) so line numbers are predictable."""
        return self.write(name, json.dumps(hunt, ensure_ascii=False, indent=2) + "\n")

    def assert_diagnostics(self, text, expected):
        """check on a file holding text: exit 1, nothing on stdout, exactly these lines
        and the summary ("2 errors, 1 warning")."""
        path = self.write("broken.json", text)
        r = spur("check", path)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr.splitlines(),
                         [line.replace("FILE", path) for line in expected] + [summary(expected)])

    def qr_lines(self, *extra):
        r = spur("qr", "--db", self.db, "--hunt", "demo", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [line.split("\t") for line in r.stdout.splitlines()]


class CheckTest(ToolTest):
    def test_demo_hunt_is_valid(self):
        r = spur("check", "puzzles/demo.json", cwd=ROOT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "puzzles/demo.json: ok (11 puzzles, 5 places)\n")
        self.assertEqual(r.stderr, "")

    def test_readme_example_is_valid(self):
        with open(os.path.join(ROOT, "puzzles", "README.md"), encoding="utf-8") as f:
            example = re.search(r"```json\n(.*?)```", f.read(), re.S).group(1)
        r = spur("check", self.write("example.json", example))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_syntax_error_is_located_by_line_and_column(self):
        self.assert_diagnostics('{"id": "x",\n "title": "T",,\n}',
                                ["FILE:2:15: error: expected a string key"])

    def test_syntax_error_column_counts_characters_not_bytes(self):
        self.assert_diagnostics('{"id": "x",\n  "title": "Straße\n"}',
                                ["FILE:2:19: error: raw control character in string (escape it)"])

    def test_duplicate_key_and_empty_file_are_refused(self):
        self.assert_diagnostics('{"id": "x", "id": "y"}',
                                ["FILE:1:13: error: duplicate key in object"])
        self.assert_diagnostics("", ["FILE:1:1: error: empty input (no JSON value)"])

    def test_hunt_errors_are_listed_in_file_order(self):
        hunt = json.loads(json.dumps(BASE_HUNT))
        hunt["titel"] = hunt.pop("title")
        hunt["puzzles"][0]["place"] = "tore"
        hunt["puzzles"][1]["answer"] = {"number": 3, "tolerance": -1}
        hunt["puzzles"].append({"id": "c", "title": "C", "points": 1, "requires": ["frag"],
                                "answer": {"choices": ["ja", "nein"], "correct": 2}})
        path = self.hunt_file("broken.json", hunt)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assert_diagnostics(text, [
            'FILE:1:1: error: missing required key "title"',
            'FILE:6:5: warning: place "tor" is not used by any puzzle',
            'FILE:16:16: error: unknown place "tore"; did you mean "tor"?',
            'FILE:25:22: error: "tolerance" must not be negative',
            'FILE:33:9: error: requires unknown puzzle "frag"; did you mean "frage"?',
            'FILE:40:20: error: "correct" is 2 but the choices are numbered 0 to 1',
            'FILE:44:12: error: unknown key "titel"; did you mean "title"?',
        ])

    def test_missing_answer_and_bad_time(self):
        hunt = json.loads(json.dumps(BASE_HUNT))
        del hunt["puzzles"][1]["answer"]
        hunt["ends_at"] = "31.12.2026"
        path = self.hunt_file("broken.json", hunt)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assert_diagnostics(text, [
            'FILE:5:14: error: "ends_at" is not an RFC 3339 time such as '
            '"2026-06-18T10:00:00+02:00"',
            'FILE:20:5: error: missing required key "answer" (only "scan", "checkin" and "photo" '
            'puzzles have none)',
        ])

    def test_warnings_alone_pass(self):
        hunt = json.loads(json.dumps(BASE_HUNT))
        hunt["places"].append({"id": "leer", "name": "Leer"})
        path = self.hunt_file("warn.json", hunt)
        r = spur("check", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"{path}: ok (2 puzzles, 2 places)\n")
        self.assertRegex(r.stderr, r'^.*:\d+:\d+: warning: place "leer" is not used by any puzzle\n'
                                   r'1 warning\n$')

    def test_unreadable_file_and_bad_usage_exit_2(self):
        r = spur("check", os.path.join(self.dir, "missing.json"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("spur: cannot read ", r.stderr)
        self.assertEqual(spur("check").returncode, 2)
        r = spur("check", "--bogus", DEMO)
        self.assertEqual(r.returncode, 2)
        self.assertIn("spur: check: unknown option '--bogus'", r.stderr)


class ImportTest(ToolTest):
    def test_import_prints_the_id_and_reimport_keeps_codes(self):
        r = spur("import", DEMO, "--db", self.db)
        self.assertEqual((r.returncode, r.stdout), (0, "demo\n"), r.stderr)
        first = self.qr_lines()
        with sqlite3.connect(self.db) as c:
            secret1, seed1 = c.execute("SELECT secret, draw_seed FROM hunts").fetchone()
        r = spur("import", DEMO, "--db", self.db)
        self.assertEqual((r.returncode, r.stdout), (0, "demo\n"), r.stderr)
        self.assertEqual(self.qr_lines(), first)
        with sqlite3.connect(self.db) as c:
            rows = c.execute("SELECT secret, draw_seed FROM hunts").fetchall()
            mode = c.execute("PRAGMA journal_mode").fetchone()[0]
            version = c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        self.assertEqual(rows, [(secret1, seed1)])
        self.assertEqual(len(secret1), 32)
        self.assertNotEqual(secret1, seed1)
        self.assertEqual(mode, "wal")
        self.assertEqual(version, (str(schema_version()),))

    def test_import_stores_the_file_text_and_updates_it(self):
        spur("import", DEMO, "--db", self.db)
        hunt = load_demo()
        hunt["title"] = "Geänderter Titel"
        path = self.hunt_file("demo2.json", hunt)
        r = spur("import", path, "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(self.db) as c:
            stored = c.execute("SELECT json FROM hunts WHERE id = 'demo'").fetchone()[0]
        self.assertEqual(json.loads(stored)["title"], "Geänderter Titel")

    def test_a_broken_file_is_not_imported(self):
        path = self.write("broken.json", '{"id": "x",,}')
        r = spur("import", path, "--db", self.db)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, f"{path}:1:12: error: expected a string key\n1 error\n")
        r = spur("qr", "--db", self.db, "--hunt", "x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no hunt 'x'", r.stderr)

    def test_a_database_from_a_newer_spur_is_refused(self):
        spur("import", DEMO, "--db", self.db)
        with sqlite3.connect(self.db) as c:
            c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        r = spur("import", DEMO, "--db", self.db)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "spur: the database has schema version 99; "
                                   f"this spur knows up to version {schema_version()}\n")

    def test_import_needs_db(self):
        r = spur("import", DEMO)
        self.assertEqual(r.returncode, 2)
        self.assertIn("spur: import needs --db PATH", r.stderr)

    def test_dry_run_lists_changes_and_changes_nothing(self):
        spur("import", DEMO, "--db", self.db)
        hunt = load_demo()
        hunt["title"] = "Neu"
        hunt["puzzles"] = [p for p in hunt["puzzles"] if p["id"] != "handtuch"]
        next(p for p in hunt["puzzles"] if p["id"] == "wappen")["points"] = 99
        hunt["puzzles"].append({"id": "neu", "title": "Neu", "points": 1,
                                "answer": {"number": 1}})
        hunt["places"][0]["where"] = "hinter dem Haus"
        path = self.hunt_file("changed.json", hunt)
        with sqlite3.connect(self.db) as c:
            before = c.execute("SELECT json, imported_at FROM hunts").fetchall()
        r = spur("import", path, "--db", self.db, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), [
            "demo: would update the stored hunt, keeping its codes, draw seed and progress:",
            '  title changed: "Spurensuche in Lindenbrück" -> "Neu"',
            "  place changed: rathaus (where)",
            "  puzzle changed: wappen (points)",
            "  puzzle added: neu",
            "  puzzle removed: handtuch",
        ])
        with sqlite3.connect(self.db) as c:
            self.assertEqual(c.execute("SELECT json, imported_at FROM hunts").fetchall(), before)
        r = spur("import", DEMO, "--db", self.db, "--dry-run")
        self.assertEqual(r.stdout, "demo: no changes from the stored version\n")

    def test_dry_run_without_database_creates_nothing(self):
        r = spur("import", DEMO, "--db", self.db, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "demo: would create the hunt (11 puzzles, 5 places, 2 prizes)\n")
        self.assertFalse(os.path.exists(self.db))


class QrTest(ToolTest):
    def setUp(self):
        super().setUp()
        r = spur("import", DEMO, "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_text_lists_every_place_with_url_and_short_code(self):
        lines = self.qr_lines()
        self.assertEqual([l[0] for l in lines], DEMO_PLACES)
        for place, url, code in lines:
            self.assertRegex(url, TOKEN_URL)
            self.assertRegex(code, SHORT_CODE)
        self.assertEqual(len({l[1] for l in lines}), len(lines))

    def test_codes_follow_the_documented_derivation(self):
        with sqlite3.connect(self.db) as c:
            secret = c.execute("SELECT secret FROM hunts WHERE id = 'demo'").fetchone()[0]
        for place, url, code in self.qr_lines():
            msg = f"demo\n{place}".encode()
            token = b32(hmac.new(secret, b"spur-place-token\n" + msg, hashlib.sha256).digest()[:15])
            short = b32(hmac.new(secret, b"spur-place-short\n" + msg, hashlib.sha256).digest()[:5])
            self.assertEqual(url, "http://127.0.0.1:8080/s/" + token)
            self.assertEqual(code, short[:4] + "-" + short[4:])

    def test_one_place_and_base_url(self):
        lines = self.qr_lines("--place", "muehle", "--base-url", "https://spur.example/")
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0][0], "muehle")
        self.assertRegex(lines[0][1], r"^https://spur\.example/s/[A-Z2-7]{24}$")

    def test_unknown_hunt_place_and_format(self):
        r = spur("qr", "--db", self.db, "--hunt", "demo", "--place", "nirgends")
        self.assertEqual(r.returncode, 2)
        self.assertIn("spur: hunt demo has no place 'nirgends'", r.stderr)
        r = spur("qr", "--db", self.db, "--hunt", "nope")
        self.assertEqual(r.returncode, 2)
        r = spur("qr", "--db", self.db, "--hunt", "demo", "--format", "gif")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(spur("qr", "--db", self.db).returncode, 2)

    def test_terminal_qr_has_a_quiet_zone_and_decodes(self):
        r = spur("qr", "--url", "http://127.0.0.1:8080/", "--terminal")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "http://127.0.0.1:8080/")
        art = lines[1:]
        self.assertTrue(set("".join(art)) <= set("█▀▄ "))
        self.assertEqual(art[0], "█" * len(art[0]))  # two light rows on top
        self.assertTrue(all(line.startswith("██") and line.endswith("██") for line in art[:-1]))
        if not shutil.which("zbarimg"):
            self.skipTest("zbarimg not installed")
        # Back to modules (light = 1), then a PGM image zbarimg can read.
        rows = []
        for line in art:
            halves = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}
            rows.append([halves[ch][0] for ch in line])
            rows.append([halves[ch][1] for ch in line])
        rows.pop()  # the last line's lower half is past the code
        scale, pad, w = 6, 4, len(rows[0])
        img = bytearray()
        for y in range(-pad, len(rows) + pad):
            row = bytearray()
            for x in range(-pad, w + pad):
                light = 1 if not (0 <= y < len(rows) and 0 <= x < w) else rows[y][x]
                row += bytes([255 if light else 0]) * scale
            img += row * scale
        pgm = os.path.join(self.dir, "qr.pgm")
        with open(pgm, "wb") as f:
            f.write(b"P5 %d %d 255\n" % ((w + 2 * pad) * scale, (len(rows) + 2 * pad) * scale))
            f.write(img)
        z = subprocess.run(["zbarimg", "-q", "--raw", pgm], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(z.stdout.strip(), "http://127.0.0.1:8080/")


class HelpTest(ToolTest):
    COMMANDS = ["check", "new", "import", "qr", "posters", "export", "draw", "verify-draw",
                "claim", "purge", "backup", "restore"]

    def test_overview_lists_every_command(self):
        r = spur("--help")
        self.assertEqual(r.returncode, 0)
        for cmd in self.COMMANDS:
            self.assertRegex(r.stdout, rf"(?m)^  {re.escape(cmd)} ")

    def test_every_command_has_help_both_ways(self):
        for cmd in self.COMMANDS:
            for args in (["help", cmd], [cmd, "--help"]):
                r = spur(*args)
                self.assertEqual(r.returncode, 0, args)
                self.assertTrue(r.stdout.startswith(f"usage: spur {cmd}"), r.stdout)

    def test_no_command_is_left_unimplemented(self):
        r = spur("--help")
        self.assertNotIn("not implemented", r.stdout)
        for cmd in self.COMMANDS:
            self.assertNotIn("not implemented", spur("help", cmd).stdout)

    def test_unknown_command_and_no_command_exit_2(self):
        r = spur("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("spur: unknown command 'frobnicate'", r.stderr)
        self.assertEqual(spur().returncode, 2)
        self.assertEqual(spur("help", "frobnicate").returncode, 2)


class RunDemoTest(ToolTest):
    """tools/run-demo.sh with a stand-in spurd that records how it was started."""

    def run_demo(self, env_extra):
        build = os.path.join(self.dir, "build")
        os.makedirs(build)
        os.makedirs(os.path.join(self.dir, "puzzles"))
        shutil.copy(DEMO, os.path.join(self.dir, "puzzles", "demo.json"))
        os.symlink(SPUR, os.path.join(build, "spur"))
        fake = os.path.join(build, "spurd")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\necho "$@" > spurd.args\necho "$SPUR_ADMIN_TOKEN" > spurd.token\n')
        os.chmod(fake, 0o755)
        env = {k: v for k, v in os.environ.items() if k not in ("SPUR_LISTEN", "SPUR_ADMIN_TOKEN")}
        env.update(env_extra)
        r = subprocess.run(["sh", os.path.join(ROOT, "tools", "run-demo.sh"), build],
                           cwd=self.dir, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.dir, "spurd.args")) as f:
            args = f.read().split()
        with open(os.path.join(self.dir, "spurd.token")) as f:
            token = f.read().strip()
        return r.stdout, args, token

    def test_imports_prints_url_token_codes_and_starts_spurd(self):
        out, args, token = self.run_demo({})
        self.assertEqual(args, ["--db", "demo.db", "--listen", "127.0.0.1:8080", "--assets", "assets"])
        self.assertTrue(os.path.exists(os.path.join(self.dir, "demo.db")))
        self.assertIn("http://127.0.0.1:8080/\n", out)
        self.assertIn("█", out)
        self.assertRegex(token, r"^[A-Za-z0-9_-]{32}$")
        self.assertIn(token, out)
        for place in DEMO_PLACES:
            self.assertRegex(out, rf"(?m)^{place}\thttp://127\.0\.0\.1:8080/s/[A-Z2-7]{{24}}\t")

    def test_listen_address_and_token_from_the_environment(self):
        out, args, token = self.run_demo({"SPUR_LISTEN": "127.0.0.1:9191",
                                          "SPUR_ADMIN_TOKEN": "staff-secret"})
        self.assertEqual(args[3], "127.0.0.1:9191")
        self.assertEqual(token, "staff-secret")
        self.assertIn("http://127.0.0.1:9191/\n", out)
        self.assertIn("http://127.0.0.1:9191/s/", out)


if __name__ == "__main__":
    unittest.main()


DE = "de_DE.UTF-8"


class GermanTest(ToolTest):
    """German is chosen by the locale (as for `spur check`): help, usage, the
    commands' own messages and the store's errors; stdout that scripts read is the
    same in both languages."""

    def test_help_and_usage_in_german(self):
        r = spur("--help", lang=DE)
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("Aufruf: spur BEFEHL [ARGUMENTE]\n"), r.stdout)
        self.assertIn("\n  export       Ergebnisse exportieren\n", r.stdout)
        self.assertIn("\n  posters      ein druckfertiges PDF mit einem Aushang je Ort schreiben, oder den Flyer\n",
                      r.stdout)
        r = spur("help", "export", lang=DE)
        self.assertIn("Blatt \"Rangliste\"", r.stdout)
        r = spur("import", DEMO, lang=DE)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "spur: import braucht --db PFAD\n"
                                   "Aufruf: spur import FILE --db PATH [--dry-run]\n"
                                   "(mehr mit `spur help import`)\n")
        r = spur("export", "--db", self.db, "--hunt", "demo", "--format", "xls", lang=DE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("export: unbekanntes Format 'xls' (csv, json oder xlsx)", r.stderr)
        r = spur("qr", "--bogus", lang=DE)
        self.assertIn("spur: qr: unbekannte Option '--bogus'", r.stderr)

    def test_command_messages_in_german_and_output_for_scripts_unchanged(self):
        r = spur("import", DEMO, "--db", self.db, lang=DE)
        self.assertEqual((r.returncode, r.stdout), (0, "demo\n"), r.stderr)
        r = spur("import", DEMO, "--db", self.db, "--dry-run", lang=DE)
        self.assertEqual(r.stdout, "demo: keine Änderungen gegenüber der gespeicherten Fassung\n")
        r = spur("qr", "--db", self.db, "--hunt", "demo", "--place", "nirgends", lang=DE)
        self.assertEqual(r.stderr, "spur: Rallye demo hat keinen Ort 'nirgends'\n")
        en = spur("qr", "--db", self.db, "--hunt", "demo")
        de = spur("qr", "--db", self.db, "--hunt", "demo", lang=DE)
        self.assertEqual(de.stdout, en.stdout)
        r = spur("purge", "--db", self.db, "--hunt", "demo", "--yes", lang=DE)
        self.assertEqual(r.stdout, "demo: keine Kontaktdaten gespeichert\n")
        backup = os.path.join(self.dir, "b.db")
        r = spur("backup", "--db", self.db, "-o", backup, lang=DE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^.*b\.db: Sicherung von .*t\.db mit 0 Teams und 0 "
                                   r"Ereignissen \(\d+ KB\)\n$")

    def test_store_errors_are_translated(self):
        spur("import", DEMO, "--db", self.db)
        with sqlite3.connect(self.db) as c:
            c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        r = spur("import", DEMO, "--db", self.db, lang=DE)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "spur: die Datenbank hat Schema-Version 99; dieses spur "
                                   f"kennt nur Versionen bis {schema_version()}\n")
        junk = self.write("junk.db", "kein SQLite")
        r = spur("restore", "--db", os.path.join(self.dir, "neu.db"), junk, lang=DE)
        self.assertEqual(r.returncode, 2)
        self.assertIn("ist keine intakte SQLite-Datenbank", r.stderr)


class TimeZoneTest(ToolTest):
    def test_check_locates_an_unknown_or_malformed_time_zone(self):
        hunt = dict(BASE_HUNT, time_zone="Europe/Atlantis")
        path = self.hunt_file("zone.json", hunt)
        r = spur("check", path)
        self.assertEqual(r.returncode, 1)
        line = next(i + 1 for i, l in enumerate(open(path, encoding="utf-8"))
                    if '"time_zone"' in l)
        self.assertEqual(r.stderr.splitlines(), [
            f'{path}:{line}:16: error: unknown time zone "Europe/Atlantis" (no '
            '/usr/share/zoneinfo/Europe/Atlantis; is the tzdata package installed?)',
            "1 error"])
        r = spur("check", path, lang=DE)
        self.assertEqual(r.stderr.splitlines()[0],
                         f'{path}:{line}:16: Fehler: unbekannte Zeitzone "Europe/Atlantis" (es '
                         'gibt kein /usr/share/zoneinfo/Europe/Atlantis; ist das Paket tzdata '
                         'installiert?)')
        r = spur("import", path, "--db", self.db)
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists(self.db))

        path = self.hunt_file("zone2.json", dict(BASE_HUNT, time_zone="../../etc/passwd"))
        r = spur("check", path, lang=DE)
        self.assertEqual(r.returncode, 1)
        self.assertIn(':16: Fehler: "time_zone" muss der Name einer Zeitzone wie '
                      '"Europe/Berlin" sein, nicht "../../etc/passwd"', r.stderr)

    def test_import_shows_the_times_in_the_hunts_zone(self):
        r = spur("import", self.hunt_file("mini.json", BASE_HUNT), "--db", self.db, lang=DE)
        self.assertEqual((r.returncode, r.stdout), (0, "mini\n"), r.stderr)
        self.assertEqual(r.stderr, "spur: mini läuft vom 01.01.2026, 10:00 Uhr bis "
                                   "01.01.2027, 10:00 Uhr (Europe/Berlin)\n")
        hunt = dict(BASE_HUNT, time_zone="America/New_York")
        r = spur("import", self.hunt_file("ny.json", hunt), "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.splitlines()[0],
                         "spur: mini runs from 1 Jan 2026, 04:00 to 1 Jan 2027, 04:00 "
                         "(America/New_York)")

    @unittest.skipUnless(shutil.which("pdftotext"), "needs pdftotext (poppler-utils)")
    def test_posters_print_start_and_end_in_the_hunts_zone(self):
        hunt = dict(BASE_HUNT, time_zone="Europe/Berlin",
                    ends_at="2026-06-28T21:59:00Z")  # summer: 23:59 in Berlin
        spur("import", self.hunt_file("mini.json", hunt), "--db", self.db)
        pdf = os.path.join(self.dir, "p.pdf")
        r = spur("posters", "--db", self.db, "--hunt", "mini", "-o", pdf,
                 "--base-url", "https://spur.example", lang=DE)
        self.assertEqual((r.returncode, r.stdout), (0, f"{pdf}: 1 Aushang\n"), r.stderr)
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        self.assertIn("vom 01.01.2026, 10:00 Uhr bis 28.06.2026, 23:59 Uhr",
                      " ".join(text.split()))
