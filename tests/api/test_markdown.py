"""Black-box tests of rich clues (issue 12): a hunt whose clue, intro, hints and outro
are Markdown serves each beside its plain text as safe HTML (clue_html, intro_html,
outro_html, text_html), rendered when the hunt is loaded. A real spurd over sockets."""
import unittest

from spurlib import Server, demo_hunt
from test_game import new_team
from test_tool import DE, ToolTest, spur

H = "/api/hunts/test-hunt"


def markdown_hunt():
    hunt = demo_hunt()
    hunt["intro"] = "Willkommen zur **Rallye**!\n\n- zu Fuß\n- mit [Plan](https://example.org/plan)"
    hunt["outro"] = "## Geschafft!\n\nKommt zum *Rathaus*. <script>alert(1)</script>"
    stufen = next(p for p in hunt["puzzles"] if p["id"] == "stufen")
    stufen["clue"] = ("Zählt die Stufen:\n\n1. vom Tor\n2. bis zur Tür\n\n"
                      "[Foto](javascript:alert(1)) ![Das Tor](https://tracker.example/t.gif) "
                      "<img src=x onerror=alert(1)>")
    stufen["hints"] = [{"text": "Es sind *mehr* als [40](http://example.org/stufen)", "cost": 1}]
    return hunt


class TestMarkdown(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(hunt_json=markdown_hunt()).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__(None, None, None)

    def test_intro_and_outro_come_as_text_and_html(self):
        st, hunt = self.srv.json("GET", H)
        self.assertEqual(st, 200)
        self.assertEqual(hunt["intro"], markdown_hunt()["intro"])
        self.assertEqual(hunt["intro_html"],
                         "<p>Willkommen zur <strong>Rallye</strong>!</p>\n<ul>\n<li>zu Fuß</li>\n"
                         "<li>mit <a target=\"_blank\" rel=\"noopener\" "
                         "href=\"https://example.org/plan\">Plan</a></li>\n</ul>\n")
        self.assertEqual(hunt["outro"], markdown_hunt()["outro"])
        self.assertEqual(hunt["outro_html"],
                         "<h2>Geschafft!</h2>\n<p>Kommt zum <em>Rathaus</em>. "
                         "&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")

    def test_clue_html_is_a_list_without_script_link_or_picture(self):
        tok, _ = new_team(self.srv, "Markdown-Team")
        st, puzzles = self.srv.json("GET", f"{H}/puzzles", token=tok)
        self.assertEqual(st, 200)
        stufen = next(p for p in puzzles if p["id"] == "stufen")
        self.assertEqual(stufen["clue"], markdown_hunt()["puzzles"][2]["clue"])
        self.assertEqual(stufen["clue_html"],
                         "<p>Zählt die Stufen:</p>\n<ol>\n<li>vom Tor</li>\n<li>bis zur Tür</li>\n"
                         "</ol>\n<p>Foto Das Tor &lt;img src=x onerror=alert(1)&gt;</p>\n")
        # a locked puzzle shows neither clue nor its HTML
        kaiser = next(p for p in puzzles if p["id"] == "kaiser")
        self.assertEqual(kaiser["status"], "locked")
        self.assertNotIn("clue", kaiser)
        self.assertNotIn("clue_html", kaiser)

    def test_hint_html_in_the_reply_and_in_the_puzzle_list(self):
        tok, _ = new_team(self.srv, "Hinweis-Team")
        want = ("<p>Es sind <em>mehr</em> als <a target=\"_blank\" rel=\"noopener\" "
                "href=\"http://example.org/stufen\">40</a></p>\n")
        st, hint = self.srv.json("POST", f"{H}/puzzles/stufen/hints", token=tok)
        self.assertEqual(st, 200)
        self.assertEqual(hint["text"], "Es sind *mehr* als [40](http://example.org/stufen)")
        self.assertEqual(hint["text_html"], want)
        st, puzzles = self.srv.json("GET", f"{H}/puzzles", token=tok)
        stufen = next(p for p in puzzles if p["id"] == "stufen")
        self.assertEqual(stufen["hints"][0]["text_html"], want)


class TestPlainHunt(unittest.TestCase):
    def test_a_hunt_without_outro_serves_empty_outro(self):
        with Server(hunt_json=demo_hunt()) as srv:
            st, hunt = srv.json("GET", H)
            self.assertEqual((st, hunt["outro"], hunt["outro_html"]), (200, "", ""))
            self.assertEqual(hunt["intro_html"], "<p>Findet die Spuren!</p>\n")


class TestCheck(ToolTest):
    def test_outro_is_known_and_bounded_like_the_intro(self):
        r = spur("check", self.hunt_file("ok.json", markdown_hunt()))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("outro", r.stderr)
        hunt = markdown_hunt()
        hunt["outro"] = "x" * 20001
        path = self.hunt_file("long.json", hunt)
        r = spur("check", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn('error: "outro" has at most 20000 bytes', r.stderr)
        r = spur("check", path, lang=DE)
        self.assertIn('"outro" hat höchstens 20000 Bytes', r.stderr)


if __name__ == "__main__":
    unittest.main()
