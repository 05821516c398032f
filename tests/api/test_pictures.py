"""Pictures in hunt files (issue 12): "image": {"file", "alt"} on puzzles and places and
"branding": {"logo": {...}}. `spur check` locates every problem with a picture; `spur
import` re-encodes each (libvips: at most 1280 px, upright, no metadata) and stores it
with the hunt; spurd lists image {url, alt, width, height} and serves the bytes under
their content hash for a year. Real spur, real spurd, pictures made here byte by byte."""
import json
import os
import shutil
import struct
import tempfile
import unittest
import zlib

from spurlib import Server, demo_hunt
from test_game import new_team
from test_tool import DE, spur

H = "/api/hunts/test-hunt"
SECRET = b"secret-home-49.4401N-7.7491E"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w, h, alpha=False, extra=b"", ihdr_only=False):
    """A w x h PNG: a colour ramp, RGB or RGBA (checkered transparency). extra: chunks
    placed before the pixels (a tEXt comment, an eXIf block)."""
    head = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8,
                                                               6 if alpha else 2, 0, 0, 0))
    if ihdr_only:
        return head + _chunk(b"IDAT", zlib.compress(b"\0" * 16)) + _chunk(b"IEND", b"")
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            rows += bytes((x * 255 // w, y * 255 // h, 90))
            if alpha:
                rows.append(255 if (x // 16 + y // 16) % 2 else 0)
    return (head + extra + _chunk(b"IDAT", zlib.compress(bytes(rows), 1)) +
            _chunk(b"IEND", b""))


def exif(orientation, description):
    """A big-endian TIFF block: Orientation and ImageDescription (where the secret hides)."""
    desc = description + b"\0"
    ifd = struct.pack(">H", 2)
    ifd += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    ifd += struct.pack(">HHII", 0x010E, 2, len(desc), 8 + 2 + 2 * 12 + 4)
    ifd += struct.pack(">I", 0)
    return b"MM\0*" + struct.pack(">I", 8) + ifd + desc


def jpeg_with_exif(jpeg, orientation, description):
    """jpeg with an APP1 Exif segment put right after its start marker."""
    body = b"Exif\0\0" + exif(orientation, description)
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def picture_hunt():
    hunt = demo_hunt()
    stufen = next(p for p in hunt["puzzles"] if p["id"] == "stufen")
    stufen["image"] = {"file": "bilder/tor.png", "alt": "Das Stadttor von Süden"}
    kaiser = next(p for p in hunt["puzzles"] if p["id"] == "kaiser")
    kaiser["image"] = {"file": "bilder/tor.png", "alt": "Noch einmal das Tor"}
    farbe = next(p for p in hunt["puzzles"] if p["id"] == "farbe")
    farbe["image"] = {"file": "bilder/tor.png", "alt": "Das Tor in Farbe"}
    hunt["places"][0]["image"] = {"file": "bilder/rathaus.jpg", "alt": "Der Rathausplatz"}
    hunt["branding"] = {"organizer": "Stadt Musterstadt",
                        "logo": {"file": "logo.png", "alt": "Wappen der Stadt"}}
    return hunt


class PictureFolder:
    """A temp folder with a hunt file and its pictures."""

    def __init__(self, hunt, files):
        self.dir = tempfile.mkdtemp(prefix="spur-pictures-")
        os.makedirs(os.path.join(self.dir, "bilder"))
        for name, data in files.items():
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(data)
        self.path = os.path.join(self.dir, "hunt.json")
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(hunt, f, ensure_ascii=False, indent=2)

    def lines(self):
        with open(self.path, encoding="utf-8") as f:
            return f.read().split("\n")

    def line_of(self, needle, after=None):
        """1-based number of the first line holding needle (after the line holding after)."""
        start = 0
        lines = self.lines()
        if after:
            start = next(i for i, line in enumerate(lines) if after in line)
        return next(i + 1 for i, line in enumerate(lines) if i >= start and needle in line)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def tor_png():
    return png(2000, 1500, extra=_chunk(b"tEXt", b"Comment\0" + SECRET) +
               _chunk(b"eXIf", exif(1, SECRET)))


class TestCheck(unittest.TestCase):
    """spur check: every problem with a picture at the line of its file."""

    def check(self, hunt, files, lang="C"):
        folder = PictureFolder(hunt, files)
        self.addCleanup(folder.close)
        return folder, spur("check", folder.path, lang=lang)

    def test_good_pictures_pass(self):
        _, r = self.check(picture_hunt(), {"bilder/tor.png": tor_png(),
                                           "bilder/rathaus.jpg": png(300, 200),
                                           "logo.png": png(120, 60, alpha=True)})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ok", r.stdout)

    def test_missing_file_non_picture_and_too_big_are_located(self):
        hunt = picture_hunt()
        big = b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024 + 1)
        folder, r = self.check(hunt, {"bilder/tor.png": b"Das ist kein Bild, nur Text.\n",
                                      "bilder/rathaus.jpg": big})
        self.assertEqual(r.returncode, 1)
        err = r.stderr
        tor = folder.line_of('"file": "bilder/tor.png"')
        rathaus = folder.line_of('"file": "bilder/rathaus.jpg"')
        logo = folder.line_of('"file": "logo.png"')
        self.assertRegex(err, r"hunt.json:%d:\d+: error: \"bilder/tor.png\" is not a picture" % tor)
        self.assertRegex(err, r"hunt.json:%d:\d+: error: the picture \"bilder/rathaus.jpg\" has "
                              r"10.0 MB; at most 10 MB" % rathaus)
        self.assertRegex(err, r"hunt.json:%d:\d+: error: picture file \"logo.png\" not found" % logo)
        self.assertIn("3 errors", err)

    def test_missing_alt_and_damaged_file_in_german(self):
        hunt = picture_hunt()
        del hunt["places"][0]["image"]["alt"]
        folder, r = self.check(hunt, {}, lang=DE)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"hunt.json:%d:\d+: Fehler: ein Bild braucht \"alt\"" %
                         folder.line_of('"image"', after='"id": "rathaus"'))
        hunt = picture_hunt()
        whole = tor_png()
        folder, r = self.check(hunt, {"bilder/tor.png": whole[:len(whole) // 2],
                                      "bilder/rathaus.jpg": png(20, 20),
                                      "logo.png": png(2, 2)}, lang=DE)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"hunt.json:%d:\d+: Fehler: \"bilder/tor.png\" lässt sich nicht "
                                   r"als Bild lesen \(beschädigt\?\)" %
                         folder.line_of('"file": "bilder/tor.png"'))

    def test_a_pixel_bomb_is_refused_before_decoding(self):
        folder, r = self.check(picture_hunt(), {"bilder/tor.png": png(20000, 20000, ihdr_only=True),
                                                "bilder/rathaus.jpg": png(20, 20),
                                                "logo.png": png(2, 2)})
        self.assertEqual(r.returncode, 1)
        self.assertIn('"bilder/tor.png" has 20000 x 20000 pixels; at most 100 million', r.stderr)

    def test_an_absolute_path_is_an_error(self):
        hunt = picture_hunt()
        hunt["branding"]["logo"]["file"] = "/etc/passwd"
        _, r = self.check(hunt, {})
        self.assertEqual(r.returncode, 1)
        self.assertIn('"file" is a path relative to the hunt file', r.stderr)


class TestServed(unittest.TestCase):
    """spur import stores the copies; spurd lists and serves them."""

    @classmethod
    def setUpClass(cls):
        cls.folder = PictureFolder(picture_hunt(), {"bilder/tor.png": tor_png(),
                                                    "bilder/rathaus.jpg": png(640, 480),
                                                    "logo.png": png(240, 80, alpha=True)})
        cls.srv = Server(hunt_path=cls.folder.path).__enter__()
        cls.tok, _ = new_team(cls.srv, "Bilder-Team")

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__(None, None, None)
        cls.folder.close()

    def puzzles(self):
        st, puzzles = self.srv.json("GET", f"{H}/puzzles", token=self.tok)
        self.assertEqual(st, 200)
        return {p["id"]: p for p in puzzles}

    def get(self, url, headers=None):
        return self.srv.request("GET", url, headers=headers)

    def test_the_puzzle_lists_its_picture_scaled_to_1280(self):
        img = self.puzzles()["stufen"]["image"]
        self.assertEqual((img["alt"], img["width"], img["height"]),
                         ("Das Stadttor von Süden", 1280, 960))
        self.assertRegex(img["url"], r"^/api/hunts/test-hunt/media/[0-9a-f]{32}\.jpg$")
        st, headers, body = self.get(img["url"])
        self.assertEqual(st, 200)
        self.assertEqual(headers["content-type"], "image/jpeg")
        self.assertEqual(body[:3], b"\xff\xd8\xff")
        self.assertEqual(int(headers["content-length"]), len(body))

    def test_no_metadata_survives(self):
        st, _, body = self.get(self.puzzles()["stufen"]["image"]["url"])
        self.assertEqual(st, 200)
        self.assertNotIn(SECRET, body)
        self.assertNotIn(b"Exif", body)
        self.assertNotIn(b"http://ns.adobe.com/xap", body)  # XMP

    def test_a_year_long_cache_and_304(self):
        url = self.puzzles()["stufen"]["image"]["url"]
        st, headers, _ = self.get(url)
        self.assertEqual(headers["cache-control"], "public, max-age=31536000, immutable")
        etag = headers["etag"]
        self.assertIn(url.rsplit("/", 1)[1].split(".")[0], etag)
        st, _, body = self.get(url, headers={"If-None-Match": etag})
        self.assertEqual((st, body), (304, b""))

    def test_unknown_or_mistyped_addresses_are_404(self):
        url = self.puzzles()["stufen"]["image"]["url"]
        for bad in (url.replace(".jpg", ".webp"), url[:-10] + "0000000.jpg",
                    f"{H}/media/x.jpg", f"{H}/media/..%2f..%2fspur.db",
                    url.replace("test-hunt", "other-hunt")):
            st, _, _ = self.get(bad)
            self.assertEqual(st, 404, bad)

    def test_a_locked_puzzle_hides_its_picture_a_place_shows_its_own(self):
        puzzles = self.puzzles()
        self.assertEqual(puzzles["kaiser"]["status"], "locked")
        self.assertNotIn("image", puzzles["kaiser"])
        place = next(p["place"] for p in puzzles.values()
                     if p["place"] and p["place"]["id"] == "rathaus")
        self.assertEqual((place["image"]["alt"], place["image"]["width"]),
                         ("Der Rathausplatz", 640))

    def test_the_same_file_is_stored_once_with_each_alt(self):
        puzzles = self.puzzles()
        self.assertEqual(puzzles["farbe"]["image"]["url"], puzzles["stufen"]["image"]["url"])
        self.assertEqual(puzzles["farbe"]["image"]["alt"], "Das Tor in Farbe")

    def test_the_logo_has_transparency_so_it_is_webp(self):
        st, hunt = self.srv.json("GET", H)
        logo = hunt["branding"]["logo"]
        self.assertEqual((logo["alt"], logo["width"], logo["height"]),
                         ("Wappen der Stadt", 240, 80))
        st, headers, body = self.get(logo["url"])
        self.assertEqual((st, headers["content-type"]), (200, "image/webp"))
        self.assertEqual((body[:4], body[8:12]), (b"RIFF", b"WEBP"))
        self.assertEqual(hunt["branding"]["organizer"], "Stadt Musterstadt")


class TestUpdate(unittest.TestCase):
    def test_upright_by_exif_a_new_picture_gets_a_new_address(self):
        folder = PictureFolder(picture_hunt(), {"bilder/tor.png": png(400, 300),
                                                "bilder/rathaus.jpg": png(64, 48),
                                                "logo.png": png(20, 20)})
        self.addCleanup(folder.close)
        with Server(hunt_path=folder.path) as srv:
            tok, _ = new_team(srv, "Update-Team")
            st, puzzles = srv.json("GET", f"{H}/puzzles", token=tok)
            old = next(p for p in puzzles if p["id"] == "stufen")["image"]["url"]
            st, _, jpeg = srv.request("GET", old)
            self.assertEqual(st, 200)
            # the same bytes again: the same address, so phones keep their copy
            srv.import_hunt(folder.path)
            # a phone photo held sideways: EXIF orientation 6 and a secret description
            with open(os.path.join(folder.dir, "bilder/tor.png"), "wb") as f:
                f.write(jpeg_with_exif(jpeg, 6, SECRET))
            srv.import_hunt(folder.path)
            srv.signal_hup()
            for _ in range(100):
                st, puzzles = srv.json("GET", f"{H}/puzzles", token=tok)
                img = next(p for p in puzzles if p["id"] == "stufen")["image"]
                if img["url"] != old:
                    break
            self.assertNotEqual(img["url"], old)
            self.assertEqual((img["width"], img["height"]), (300, 400))
            st, _, body = srv.request("GET", img["url"])
            self.assertEqual(st, 200)
            self.assertNotIn(SECRET, body)
            self.assertNotIn(b"Exif", body)
            st, _, _ = srv.request("GET", old)
            self.assertEqual(st, 404)
            # and after a restart, from the database
            srv.restart()
            st, _, again = srv.request("GET", img["url"])
            self.assertEqual((st, again), (200, body))


if __name__ == "__main__":
    unittest.main()
