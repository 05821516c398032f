"""Printed codes read by a real QR reader: `spur posters` rendered with pdftoppm and
decoded with zbarimg (every page's code is that place's scan URL, at least 12 cm
wide, and the printed short code, read back with pdftotext, is accepted by a running
spurd's scan endpoint), and `spur qr --format png/svg` files decoded the same way."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

from spurlib import Server, demo_hunt
from test_tool import spur

TOOLS = ("zbarimg", "pdftoppm", "pdftotext")
SHORT = re.compile(r"\b([A-Z2-7]{4}-[A-Z2-7]{4})\b")


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode not in (0, 4):  # zbarimg: 4 = no code found, asserted by callers
        raise AssertionError(f"{cmd[0]} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def zbar(path):
    """Every QR code zbarimg finds in an image."""
    return run("zbarimg", "-q", "--raw", path).split()


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def qr_width_cm(pgm, dpi):
    """Width of the tallest block of rows that are dark across more than 8 cm: the QR
    code (text lines are far lower than 8 cm)."""
    w, h, px = read_pgm(pgm)
    min_span = 8 / 2.54 * dpi
    best, run_h, run_w = 0, 0, 0
    for y in range(h):
        row = px[y * w:(y + 1) * w]
        dark = [x for x in range(0, w, 2) if row[x] < 128]
        span = dark[-1] - dark[0] if dark else 0
        if span > min_span:
            run_h, run_w = run_h + 1, max(run_w, span)
            if run_h > min_span:
                best = max(best, run_w)
        else:
            run_h, run_w = 0, 0
    return best / dpi * 2.54


@unittest.skipUnless(all(shutil.which(t) for t in TOOLS), "needs zbar-tools and poppler-utils")
class PrintedCodesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spur-posters-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def scan_urls(self, srv, base):
        r = spur("qr", "--db", srv.db, "--hunt", "test-hunt", "--base-url", base)
        self.assertEqual(r.returncode, 0, r.stderr)
        return {l.split("\t")[0]: l.split("\t")[1] for l in r.stdout.splitlines()}

    def test_every_poster_decodes_to_its_place_and_its_short_code_scans(self):
        hunt = demo_hunt()
        with Server(hunt_json=hunt) as srv:
            pdf = os.path.join(self.dir, "posters.pdf")
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf,
                     "--base-url", srv.url)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("is not https", r.stderr)  # the organizer is told
            r2 = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf + ".https.pdf",
                      "--base-url", "https://rallye.example.de")
            self.assertEqual((r2.returncode, r2.stderr), (0, ""))
            urls = self.scan_urls(srv, srv.url)
            st, body = srv.json("POST", "/api/hunts/test-hunt/teams", {"name": "Plakatleser"})
            self.assertEqual(st, 201, body)
            token = body["token"]

            self.assertIn("A4", run("pdfinfo", pdf) if shutil.which("pdfinfo") else "A4")
            run("pdftoppm", "-r", "150", "-gray", pdf, os.path.join(self.dir, "page"))
            pages = sorted(f for f in os.listdir(self.dir) if f.startswith("page"))
            self.assertEqual(len(pages), len(hunt["places"]))
            for i, (page, place) in enumerate(zip(pages, hunt["places"])):
                path = os.path.join(self.dir, page)
                self.assertEqual(zbar(path), [urls[place["id"]]], page)
                self.assertGreaterEqual(qr_width_cm(path, 150), 12.0, page)
                text = run("pdftotext", "-f", str(i + 1), "-l", str(i + 1), pdf, "-")
                self.assertIn(place["name"], text)
                self.assertIn(place["where"], text)
                self.assertIn(hunt["title"], text)
                # a phone camera is enough: nothing to install; the end date; the address
                self.assertIn("Handykamera auf den Code halten – keine App nötig.", text)
                self.assertIn("Ohne Kamera: 127.0.0.1:", text)
                self.assertRegex(text, r"Mitspielen bis \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr")
                code = SHORT.search(text).group(1)
                st, body = srv.json("POST", "/api/hunts/test-hunt/scan", {"code": code},
                                    token=token)
                self.assertEqual(st, 200, body)
                self.assertEqual(body["place"], place["id"])

    def test_the_flyer_and_its_cards_open_the_hunt(self):
        hunt = demo_hunt()
        hunt["intro"] = "Sucht die Spuren der Stadtgeschichte."
        hunt["branding"] = {"organizer": "Stadt Kaiserslautern", "accent": "#8a1c2b",
                            "footer": "Impressum: Stadt Kaiserslautern, Willy-Brandt-Platz 1"}
        with Server(hunt_json=hunt) as srv:
            pdf = os.path.join(self.dir, "flyer.pdf")
            base = "https://rallye.example.de"
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "--flyer", "-o", pdf,
                     "--base-url", base)
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertIn("four cards", r.stdout)
            run("pdftoppm", "-r", "150", "-gray", pdf, os.path.join(self.dir, "fpage"))
            pages = sorted(f for f in os.listdir(self.dir) if f.startswith("fpage"))
            self.assertEqual(len(pages), 2)
            join = base + "/?hunt=test-hunt"
            self.assertEqual(zbar(os.path.join(self.dir, pages[0])), [join])
            self.assertEqual(zbar(os.path.join(self.dir, pages[1])), [join] * 4)
            text = run("pdftotext", "-f", "1", "-l", "1", pdf, "-")
            for want in (hunt["title"], "Eine Rallye von Stadt Kaiserslautern", hunt["intro"],
                         "1 Den QR-Code mit der Handykamera scannen oder", "rallye.example.de",
                         "2 Einen Teamnamen wählen – ohne Anmeldung, ohne App.",
                         "Impressum: Stadt Kaiserslautern"):
                self.assertIn(want, " ".join(text.split()))
            cards = run("pdftotext", "-f", "2", "-l", "2", pdf, "-")
            self.assertEqual(cards.count("Handykamera genügt – keine App nötig."), 4)

    def test_the_answer_sheet_has_every_answer_and_says_confidential(self):
        hunt = demo_hunt()
        with Server(hunt_json=hunt) as srv:
            pdf = os.path.join(self.dir, "sheet.pdf")
            r = spur("sheet", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf)
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertRegex(r.stdout, r"answer sheet, \d+ pages?, confidential")
            text = " ".join(run("pdftotext", pdf, "-").split())
            self.assertIn("VERTRAULICH – nur für das Orga-Team", text)
            codes = dict(l.split("\t")[0:3:2] for l in spur(
                "qr", "--db", srv.db, "--hunt", "test-hunt").stdout.splitlines())
            for p in hunt["puzzles"]:
                self.assertIn(f"({p['id']}, {p['points']} Punkte)", text)
                ans = p.get("answer", {})
                for a in ans.get("accept", []):
                    self.assertIn(f"„{a}“", text)
                if "number" in ans:
                    self.assertIn(f"Zahl: {ans['number']:g}", text)
                for h in p.get("hints", []):
                    self.assertIn(h["text"], text)
                if p.get("kind") == "scan":
                    self.assertIn("Kurzcode " + codes[p["place"]].split()[0], text)
        self.assertEqual(spur("sheet", "--db", "x.db").returncode, 2)

    def test_png_files_decode_to_the_scan_urls_and_the_join_link(self):
        with Server(hunt_json=demo_hunt()) as srv:
            base = "https://rallye.example.de"
            out = os.path.join(self.dir, "png")
            os.mkdir(out)
            r = spur("qr", "--db", srv.db, "--hunt", "test-hunt", "--format", "png", "--out",
                     out, "--base-url", base, "--ec", "H", "--size", "400")
            self.assertEqual(r.returncode, 0, r.stderr)
            urls = self.scan_urls(srv, base)
            self.assertEqual(sorted(os.listdir(out)), sorted(
                [f"{p}.png" for p in urls] + ["join.png"]))
            self.assertEqual(r.stdout.splitlines(), [os.path.join(out, f"{p}.png") for p in urls]
                             + [os.path.join(out, "join.png")])
            for place, url in urls.items():
                self.assertEqual(zbar(os.path.join(out, f"{place}.png")), [url])
            self.assertEqual(zbar(os.path.join(out, "join.png")), [base + "/?hunt=test-hunt"])
            with open(os.path.join(out, "rathaus.png"), "rb") as f:
                head = f.read(24)
            self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
            width = int.from_bytes(head[16:20], "big")
            self.assertTrue(300 <= width <= 400, width)

            r = spur("qr", "--db", srv.db, "--hunt", "test-hunt", "--format", "svg", "--out",
                     self.dir, "--place", "brunnen")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, os.path.join(self.dir, "brunnen.svg") + "\n")
            with open(os.path.join(self.dir, "brunnen.svg")) as f:
                self.assertTrue(f.read().startswith("<svg xmlns="))
            self.assertFalse(os.path.exists(os.path.join(self.dir, "join.svg")))

    def test_bad_options_are_refused(self):
        with Server(hunt_json=demo_hunt()) as srv:
            for args in (["--ec", "X"], ["--size", "5"], ["--format", "gif"]):
                r = spur("qr", "--db", srv.db, "--hunt", "test-hunt", *args)
                self.assertEqual(r.returncode, 2, args)
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt")
            self.assertEqual(r.returncode, 2)
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o",
                     os.path.join(self.dir, "x.pdf"), "--ec", "L")
            self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
