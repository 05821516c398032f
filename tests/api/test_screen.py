"""Black-box tests of what the big screen (/screen/{h}, issue 12) needs from spurd:
the page itself at the hunt's address, and the hunt's public join QR code
(GET /api/hunts/{h}/join.svg) that a phone camera reads as the join address, the
same address GET /api/hunts/{h} gives as join_url. A real spurd over sockets."""
import shutil
import tempfile
import unittest

from spurlib import Server, demo_hunt
from test_staff import qr_text

HUNT = "test-hunt"


class TestJoinQr(unittest.TestCase):
    def setUp(self):
        self.dirs = []

    def tearDown(self):
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)

    def tmp(self):
        d = tempfile.mkdtemp(prefix="spur-screen-")
        self.dirs.append(d)
        return d

    @unittest.skipUnless(shutil.which("zbarimg"), "zbarimg (zbar-tools) is not installed")
    def test_join_svg_reads_as_the_join_address_without_a_token(self):
        with Server(hunt_json=demo_hunt(), args=["--base-url", "https://rallye.example.org/"]) as srv:
            st, hdrs, svg = srv.request("GET", f"/api/hunts/{HUNT}/join.svg")
            self.assertEqual(st, 200)
            self.assertEqual(hdrs["content-type"], "image/svg+xml")
            self.assertIn("public", hdrs["cache-control"])
            self.assertEqual(qr_text(svg.decode(), self.tmp()),
                             "https://rallye.example.org/?hunt=test-hunt")
            st, hunt = srv.json("GET", f"/api/hunts/{HUNT}")
            self.assertEqual((st, hunt["join_url"]), (200, "https://rallye.example.org/?hunt=test-hunt"))

    @unittest.skipUnless(shutil.which("zbarimg"), "zbarimg (zbar-tools) is not installed")
    def test_without_base_url_the_code_names_the_listening_address(self):
        with Server(hunt_json=demo_hunt()) as srv:
            st, _, svg = srv.request("GET", f"/api/hunts/{HUNT}/join.svg")
            self.assertEqual(st, 200)
            self.assertEqual(qr_text(svg.decode(), self.tmp()),
                             f"http://127.0.0.1:{srv.port}/?hunt={HUNT}")

    def test_join_svg_of_an_unknown_hunt_and_other_methods_are_refused(self):
        with Server(hunt_json=demo_hunt()) as srv:
            st, body = srv.json("GET", "/api/hunts/nope/join.svg")
            self.assertEqual((st, body["error"]), (404, "unknown_hunt"))
            st, hdrs, _ = srv.request("POST", f"/api/hunts/{HUNT}/join.svg", body={})
            self.assertEqual((st, hdrs["allow"]), (405, "GET, HEAD"))
            st, hdrs, body = srv.request("HEAD", f"/api/hunts/{HUNT}/join.svg")
            self.assertEqual((st, body), (200, b""))


class TestScreenPage(unittest.TestCase):
    def test_screen_address_of_any_hunt_serves_the_page(self):
        with Server(hunt_json=demo_hunt()) as srv:
            st, hdrs, page = srv.request("GET", "/screen/index.html")
            self.assertEqual(st, 200)
            self.assertTrue(hdrs["content-type"].startswith("text/html"))
            self.assertIn(b"/screen/screen.js", page)
            for path in (f"/screen/{HUNT}", f"/screen/{HUNT}/", "/screen/any-other-id",
                         f"/screen/?hunt={HUNT}"):
                st, hdrs, body = srv.request("GET", path)
                self.assertEqual((path, st, body), (path, 200, page))
                self.assertIn("script-src 'self'", hdrs["content-security-policy"])
            # the page's own files are not mistaken for hunt ids
            st, hdrs, js = srv.request("GET", "/screen/screen.js")
            self.assertEqual(st, 200)
            self.assertTrue(hdrs["content-type"].startswith("text/javascript"))
            self.assertIn(b"EventSource", js)
            # deeper paths are not the page
            st, _, _ = srv.request("GET", f"/screen/{HUNT}/extra")
            self.assertEqual(st, 404)
            st, hdrs, _ = srv.request("POST", f"/screen/{HUNT}")
            self.assertEqual(st, 405)


if __name__ == "__main__":
    unittest.main()
