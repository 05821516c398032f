"""POST /api/hunts/{h}/decode: a phone's camera frame (JPEG) read for a poster's QR
code by spurd (libjpeg + libzbar on the thread pool). The frames are real: posters
printed by `spur posters`, rendered to JPEG by pdftoppm as a camera would see them
(small, grey, about 41 dpi), or cropped so that no code is on them."""

import json
import os
import subprocess
import tempfile
import unittest

from spurlib import BUILD, DemoHuntCase, Server, demo_hunt, parse_responses

H = "/api/hunts/test-hunt"


def spur(*args):
    return subprocess.run([os.path.join(BUILD, "spur"), *args], capture_output=True, text=True,
                          check=True).stdout


def poster_jpeg(db, hunt, tmp, crop=None, dpi=41):
    """Page 1 (the first place) of the hunt's posters as a JPEG; crop = (x, y, w, h)."""
    pdf = os.path.join(tmp, hunt + ".pdf")
    spur("posters", "--db", db, "--hunt", hunt, "-o", pdf)
    args = ["pdftoppm", "-r", str(dpi), "-gray", "-jpeg", "-f", "1", "-l", "1", "-singlefile"]
    if crop:
        args += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    out = os.path.join(tmp, "%s-%s" % (hunt, "crop" if crop else "page"))
    subprocess.run(args + [pdf, out], check=True)
    with open(out + ".jpg", "rb") as f:
        return f.read()


class TestDecode(DemoHuntCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="spur-decode-")
        st, body = cls.srv.json("POST", f"{H}/teams", {"name": "Kamerateam"})
        assert st == 201, body
        cls.tok = body["token"]
        cls.codes = {}
        for line in spur("qr", "--db", cls.srv.db, "--hunt", "test-hunt").splitlines():
            place, url, short = line.split("\t")
            cls.codes[place] = url.rsplit("/s/", 1)[1]

    def decode(self, data, ctype="image/jpeg", tok=None):
        st, headers, raw = self.srv.request("POST", f"{H}/decode", raw_body=data,
                                            headers={"Content-Type": ctype},
                                            token=tok if tok is not None else self.tok)
        return st, headers, json.loads(raw)

    def test_a_poster_photo_gives_its_code_and_the_scan_then_counts(self):
        st, _, body = self.decode(poster_jpeg(self.srv.db, "test-hunt", self.tmp))
        self.assertEqual((st, body), (200, {"code": self.codes["rathaus"]}))
        st, scan = self.srv.json("POST", f"{H}/scan", {"code": body["code"]}, token=self.tok)
        self.assertEqual((st, scan["place"]), (200, "rathaus"))

    def test_a_frame_without_a_code_is_no_error(self):
        # the top of the poster: title and place name, no QR code
        jpeg = poster_jpeg(self.srv.db, "test-hunt", self.tmp, crop=(0, 0, 339, 110))
        st, _, body = self.decode(jpeg)
        self.assertEqual((st, body), (200, {"code": None}))

    def test_another_hunts_poster_is_foreign(self):
        with Server(hunt_json=dict(demo_hunt(), id="andere-rallye")) as other:
            jpeg = poster_jpeg(other.db, "andere-rallye", self.tmp)
        st, _, body = self.decode(jpeg)
        self.assertEqual((st, body), (200, {"code": None, "foreign": True}))

    def test_bad_frames_get_precise_errors(self):
        st, _, body = self.decode(b"\xff\xd8\xff\xe0 not really a jpeg")
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        st, _, body = self.decode(b"", tok=self.tok)
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        big = poster_jpeg(self.srv.db, "test-hunt", self.tmp, dpi=200)  # 1654 x 2339 px
        st, _, body = self.decode(big)
        self.assertEqual((st, body["error"]), (400, "bad_image"))
        self.assertIn("1600", body["message"])
        st, _, body = self.decode(b"{}", ctype="application/json")
        self.assertEqual((st, body["error"]), (415, "unsupported_media_type"))
        st, _, body = self.decode(b"\xff" * (256 * 1024 + 1))
        self.assertEqual((st, body["error"]), (413, "too_large"))
        st, _, body = self.decode(b"\xff\xd8", tok="")
        self.assertEqual((st, body["error"]), (401, "unauthorized"))

    def test_one_frame_per_team_at_a_time(self):
        # two frames pipelined on one connection: both reach the handler before the
        # first is read, so the second is refused; answers come in order
        jpeg = poster_jpeg(self.srv.db, "test-hunt", self.tmp)
        req = (b"POST " + H.encode() + b"/decode HTTP/1.1\r\nHost: t\r\n"
               b"Authorization: Bearer " + self.tok.encode() + b"\r\n"
               b"Content-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpeg) + jpeg)
        resps = parse_responses(self.srv.raw(req + req, timeout=3))
        self.assertEqual([r[0] for r in resps], [200, 429])
        self.assertEqual(json.loads(resps[0][2])["code"], self.codes["rathaus"])
        self.assertEqual(resps[1][1]["retry-after"], "1")

    def test_metrics_count_frames_by_result(self):
        self.decode(poster_jpeg(self.srv.db, "test-hunt", self.tmp))
        metrics = self.srv.request("GET", "/metrics")[2].decode()
        self.assertRegex(metrics, r'spur_decodes_total\{result="found"\} [1-9]')
