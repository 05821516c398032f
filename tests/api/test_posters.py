"""Printed codes read by a real QR reader: `spur posters` rendered with pdftoppm and
decoded with zbarimg (every page's code is that place's scan URL, at least 12 cm
wide, and the printed short code, read back with pdftotext, is accepted by a running
spurd's scan endpoint), and `spur qr --format png/svg` files decoded the same way.
The hunt's Markdown prints as text, and its stored logo is drawn in the band of every
poster, the flyer and each card (found by its colour in the rendered pages)."""

import copy
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

from spurlib import Server, demo_hunt
from test_checkin import checkin_hunt
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


def png_rgba(w, h, pixel):
    """An 8-bit RGBA PNG of pixel(x, y) -> (r, g, b, a); rows built in a bytearray."""
    raw = bytearray()
    for y in range(h):
        raw.append(0)  # filter: none
        for x in range(w):
            raw.extend(pixel(x, y))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def logo_pixel(x, y):
    """A magenta logo (nothing else on a poster has that colour) with a white stripe and
    a transparent border, 240 x 100."""
    if x < 8 or y < 8 or x >= 232 or y >= 92:
        return (0, 0, 0, 0)
    if abs((x - 120) - (y - 50) * 2) < 12:
        return (255, 255, 255, 255)
    return (230, 0, 200, 255)


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    return int(m.group(1)), int(m.group(2)), data[m.end():]


def magenta_rows(ppm, x0=0, x1=None, y0=0, y1=None):
    """Rows (relative to y0) holding pixels of the logo's magenta in the box."""
    w, h, px = read_ppm(ppm)
    x1, y1 = x1 or w, y1 or h
    rows = []
    for y in range(y0, y1):
        row = px[(y * w + x0) * 3:(y * w + x1) * 3]
        if any(row[i] > 180 and row[i + 1] < 90 and row[i + 2] > 140
               for i in range(0, len(row), 3)):
            rows.append(y - y0)
    return rows


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

    def render(self, pdf, name):
        """Every page of pdf in colour at 50 dpi (PPM files), in page order."""
        run("pdftoppm", "-r", "50", pdf, os.path.join(self.dir, name))
        return sorted(os.path.join(self.dir, f) for f in os.listdir(self.dir)
                      if f.startswith(name + "-") and f.endswith(".ppm"))

    def test_markdown_prints_as_text_and_the_logo_in_every_band(self):
        hunt = demo_hunt()
        hunt["intro"] = ("Sucht die **Spuren** der *Stadtgeschichte*.\n\n"
                         "Mehr im [Stadtarchiv](https://archiv.example.de/rallye).\n\n"
                         "- Stift mitbringen\n- Handy laden\n")
        hunt["branding"] = {"organizer": "Stadt Kaiserslautern", "accent": "#1d3f8a",
                            "logo": {"file": "logo.png", "alt": "Wappen der Stadt"}}
        hunt["puzzles"][1]["clue"] = ("Wer gab der Stadt ihren **Beinamen**? Siehe "
                                      "[Wikipedia](https://de.wikipedia.org/wiki/Kaiserslautern).")
        hunt["puzzles"][1]["hints"][0]["text"] = "Rotbart auf *Italienisch*"
        plain = copy.deepcopy(hunt)
        plain["id"] = "ohne-logo"
        del plain["branding"]["logo"]
        base = "https://rallye.example.de"
        with Server() as srv:
            with open(os.path.join(srv.dir, "logo.png"), "wb") as f:
                f.write(png_rgba(240, 100, logo_pixel))
            srv.import_hunt(hunt)
            srv.import_hunt(plain)
            out = {}
            for hid in ("test-hunt", "ohne-logo"):
                for kind, extra in (("posters", []), ("flyer", ["--flyer"])):
                    pdf = os.path.join(self.dir, f"{hid}-{kind}.pdf")
                    r = spur("posters", "--db", srv.db, "--hunt", hid, "-o", pdf,
                             "--base-url", base, *extra)
                    self.assertEqual((r.returncode, r.stderr), (0, ""))
                    out[hid, kind] = pdf
            sheet = os.path.join(self.dir, "sheet.pdf")
            r = spur("sheet", "--db", srv.db, "--hunt", "test-hunt", "-o", sheet)
            self.assertEqual((r.returncode, r.stderr), (0, ""))

        # Markdown: the words and the link's address, none of the syntax
        flyer = " ".join(run("pdftotext", "-f", "1", "-l", "1",
                             out["test-hunt", "flyer"], "-").split())
        for want in ("Sucht die Spuren der Stadtgeschichte.",
                     "Mehr im Stadtarchiv (https://archiv.example.de/rallye).",
                     "• Stift mitbringen • Handy laden"):
            self.assertIn(want, flyer)
        text = " ".join(run("pdftotext", sheet, "-").split())
        for want in ("Wer gab der Stadt ihren Beinamen? Siehe Wikipedia "
                     "(https://de.wikipedia.org/wiki/Kaiserslautern).",
                     "Tipp 1 (−3): Rotbart auf Italienisch"):
            self.assertIn(want, text)
        for t in (flyer, text):
            self.assertNotIn("**", t)
            self.assertNotIn("](", t)
            self.assertNotRegex(t, r"(^|\s)\*[A-Za-z]")

        # the logo: in the band of every poster and of the flyer (the band ends at
        # 1.8 cm + 64 pt, 81 px at 50 dpi), nowhere else on the page; never without one
        band = int((1.8 / 2.54 * 72 + 64) / 72 * 50)
        pages = self.render(out["test-hunt", "posters"], "logo-posters")
        pages.append(self.render(out["test-hunt", "flyer"], "logo-flyer")[0])
        self.assertEqual(len(pages), 3)
        for page in pages:
            rows = magenta_rows(page)
            self.assertGreater(len(rows), 20, page)  # 20 mm high at most: about 37 rows
            self.assertLess(max(rows), band, page)
            # at the band's left, clear of the centre where the title is
            w = read_ppm(page)[0]
            self.assertEqual(magenta_rows(page, x0=w // 3, x1=w), [], page)
        cards = self.render(out["test-hunt", "flyer"], "logo-cards")[1]
        w, h, _ = read_ppm(cards)
        card_band = int(46 / 72 * 50)
        for k in range(4):  # every card, in its own band
            x0, y0 = (k % 2) * w // 2, (k // 2) * h // 2
            rows = magenta_rows(cards, x0, x0 + w // 2, y0, y0 + h // 2)
            self.assertGreater(len(rows), 10, k)
            self.assertLess(max(rows), card_band, k)
        for kind in ("posters", "flyer"):
            for page in self.render(out["ohne-logo", kind], "plain-" + kind):
                self.assertEqual(magenta_rows(page), [], page)
        # the title still prints beside the logo
        self.assertIn(hunt["title"], run("pdftotext", "-f", "1", "-l", "1",
                                         out["test-hunt", "posters"], "-"))

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

    def pdf_pages(self, pdf):
        """The text of every page of pdf, one string a page."""
        return run("pdftotext", pdf, "-").split("\f")[:-1]

    def place_names(self, pdf, names=("Rathaus", "Brunnen", "Bahnhof", "Turm")):
        """The place each page of pdf is for: the line that is a place's name."""
        return [next(n for n in names if n in p.splitlines()) for p in self.pdf_pages(pdf)]

    def test_places_with_only_check_ins_get_a_poster_only_when_asked_for(self):
        hunt = checkin_hunt()  # bahnhof: one check-in; rathaus: a scan and a check-in
        hunt["places"].append({"id": "turm", "name": "Turm", "lat": 49.4450, "lon": 7.7710})
        hunt["puzzles"].append({"id": "am-turm", "title": "Am Turm", "kind": "checkin",
                                "place": "turm", "clue": "Hoch hinaus.", "points": 2})
        base = "https://rallye.example.de"
        with Server(hunt_json=hunt) as srv:
            codes = {l.split("\t")[0]: l.split("\t")[2] for l in spur(
                "qr", "--db", srv.db, "--hunt", "test-hunt").stdout.splitlines()}
            # spur qr still lists every code: the fallback for phones without GPS
            self.assertEqual(sorted(codes), ["bahnhof", "brunnen", "rathaus", "turm"])

            def posters(name, *extra, lang="C"):
                pdf = os.path.join(self.dir, name + ".pdf")
                r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf,
                         "--base-url", base, *extra, lang=lang)
                return r, pdf

            # by default the two check-in-only places are left out, said once on stderr
            r, pdf = posters("default")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "spur: 2 places with only check-in puzzles got no "
                             "poster; --checkin-places prints them too\n")
            self.assertEqual(r.stdout, pdf + ": 2 posters\n")
            pages = self.pdf_pages(pdf)
            self.assertEqual(self.place_names(pdf), ["Rathaus", "Brunnen"])
            self.assertIn(codes["rathaus"], pages[0])
            r, _ = posters("de", lang="de_DE.UTF-8")
            self.assertEqual(r.stderr, "spur: 2 Orte nur mit Check-in-Aufgaben ohne Plakat; "
                             "--checkin-places druckt sie auch\n")

            # --checkin-places: every place, in the hunt's order, nothing said
            r, pdf = posters("all", "--checkin-places")
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertEqual(r.stdout, pdf + ": 4 posters\n")
            pages = self.pdf_pages(pdf)
            self.assertEqual(self.place_names(pdf), ["Rathaus", "Brunnen", "Bahnhof", "Turm"])
            self.assertIn(codes["bahnhof"], pages[2])
            self.assertIn(codes["turm"], pages[3])

            # --place: asking for one is asking for it, check-in-only or not
            r, pdf = posters("one", "--place", "bahnhof")
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertEqual(r.stdout, pdf + ": 1 poster\n")
            pages = self.pdf_pages(pdf)
            self.assertEqual(len(pages), 1)
            self.assertIn("Bahnhof", pages[0])
            self.assertIn(codes["bahnhof"], pages[0])
            run("pdftoppm", "-r", "100", "-gray", pdf, os.path.join(self.dir, "one"))
            self.assertEqual(zbar(os.path.join(self.dir, "one-1.pgm")),
                             [self.scan_urls(srv, base)["bahnhof"]])
            r, pdf = posters("two", "--place", "turm", "--place", "brunnen", "--place", "turm")
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertEqual(self.place_names(pdf), ["Brunnen", "Turm"])

            # an unknown place, or --place with the flyer: refused, no file
            r, pdf = posters("none", "--place", "mond")
            self.assertEqual(r.returncode, 2)
            self.assertIn("has no place 'mond'", r.stderr)
            self.assertFalse(os.path.exists(pdf))
            for extra in (["--place", "turm"], ["--checkin-places"]):
                r, pdf = posters("flyer", "--flyer", *extra)
                self.assertEqual(r.returncode, 2, extra)
                self.assertFalse(os.path.exists(pdf))

    def test_a_hunt_of_check_ins_only_prints_nothing_without_asking(self):
        hunt = checkin_hunt()
        hunt["places"] = [p for p in hunt["places"] if p["id"] == "bahnhof"]
        hunt["puzzles"] = [p for p in hunt["puzzles"] if p["id"] == "am-bahnhof"]
        with Server(hunt_json=hunt) as srv:
            pdf = os.path.join(self.dir, "leer.pdf")
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf)
            self.assertEqual(r.returncode, 2)
            self.assertIn("hunt test-hunt has only places with check-in puzzles (1), so there is "
                          "nothing to print; --checkin-places prints them", r.stderr)
            self.assertFalse(os.path.exists(pdf))
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf,
                     "--checkin-places", "--base-url", "https://rallye.example.de")
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertEqual(len(self.pdf_pages(pdf)), 1)
            # a place with a typed puzzle as well: printed; the check-in one is named
            hunt["places"].append({"id": "tor", "name": "Tor"})
            hunt["puzzles"].append({"id": "tor-frage", "title": "Tor", "place": "tor",
                                    "points": 1, "answer": {"accept": ["rot"]}})
            srv.import_hunt(hunt)
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf,
                     "--base-url", "https://rallye.example.de", lang="de_DE.UTF-8")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "spur: 1 Ort nur mit Check-in-Aufgaben ohne Plakat; "
                             "--checkin-places druckt ihn auch\n")
            self.assertEqual(self.place_names(pdf, ("Tor", "Bahnhof")), ["Tor"])
            r = spur("posters", "--db", srv.db, "--hunt", "test-hunt", "-o", pdf,
                     "--checkin-places", "--base-url", "https://rallye.example.de")
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertEqual(self.place_names(pdf, ("Tor", "Bahnhof")), ["Bahnhof", "Tor"])

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
