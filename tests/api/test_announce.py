"""Announcements over real HTTP: staff send a text to every team of a hunt (POST
/api/admin/hunts/{h}/announcements), it is pushed on the hunt's open event streams,
listed for apps that were closed (GET /api/hunts/{h}/announcements), deleted again, kept
across a restart, bounded per hunt and written to the staff log."""
import json
import re
import socket
import sqlite3
import time
import unittest

from spurlib import Server, demo_hunt

HUNT = "/api/hunts/test-hunt"
ADMIN = "/api/admin/hunts/test-hunt"


def open_stream(srv, query="?limit=0"):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    s.sendall(("GET %s/events%s HTTP/1.1\r\nHost: x\r\n\r\n" % (HUNT, query)).encode())
    return s


def read_events(s, buf, kind, n):
    """Reads until n events of that kind are in buf; returns (their data as JSON, buf)."""
    pat = b"event: " + kind + b"\ndata: "
    deadline = time.time() + 5
    while buf.count(pat) < n and time.time() < deadline:
        try:
            buf += s.recv(65536)
        except socket.timeout:
            break
    datas = re.findall(b"event: " + kind + rb"\ndata: (.*)\n\n", buf)
    return [json.loads(d) for d in datas], buf


class AnnounceCase(unittest.TestCase):
    def setUp(self):
        self.srv = Server(hunt_json=demo_hunt()).__enter__()

    def tearDown(self):
        self.srv.__exit__(None, None, None)

    def post(self, text, who="Jana", lang="de"):
        headers = {"X-Staff-Name": who.encode(), "Accept-Language": lang}  # UTF-8 bytes
        return self.srv.json("POST", ADMIN + "/announcements", {"text": text}, headers=headers,
                             token=self.srv.admin_token)

    def listed(self):
        st, body = self.srv.json("GET", HUNT + "/announcements")
        self.assertEqual(st, 200)
        return body["announcements"]


class TestAnnouncements(AnnounceCase):
    def test_an_announcement_reaches_open_streams_at_once_and_is_listed_newest_first(self):
        phone = open_stream(self.srv)            # a phone's notice stream
        screen = open_stream(self.srv, "")       # a staff screen's stream of rows
        _, pbuf = read_events(phone, b"", b"leaderboard", 1)
        _, sbuf = read_events(screen, b"", b"leaderboard", 1)
        t0 = time.time()
        st, a = self.post("  Das Schild am Brunnen ist abgefallen.\r\nDer Code klebt jetzt an der Bank.  \n")
        self.assertEqual(st, 201, a)
        self.assertEqual(a["text"], "Das Schild am Brunnen ist abgefallen.\n"
                                    "Der Code klebt jetzt an der Bank.")
        self.assertIsInstance(a["id"], int)
        self.assertRegex(a["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        got, pbuf = read_events(phone, pbuf, b"announcement", 1)
        self.assertLess(time.time() - t0, 2, "the push waited")
        self.assertEqual(got, [a])
        got, sbuf = read_events(screen, sbuf, b"announcement", 1)
        self.assertEqual(got, [a])

        st, b = self.post("Zweite Durchsage")
        self.assertEqual(st, 201)
        self.assertGreater(b["id"], a["id"])
        self.assertEqual(self.listed(), [b, a])
        st, h, _ = self.srv.request("GET", HUNT + "/announcements")
        self.assertEqual(h["cache-control"], "no-cache")
        # unchanged: 304 against the ETag; changed: a new ETag
        st, _, body = self.srv.request("GET", HUNT + "/announcements",
                                       headers={"If-None-Match": h["etag"]})
        self.assertEqual((st, body), (304, b""))

        st, body = self.srv.json("DELETE", ADMIN + "/announcements/%d" % a["id"],
                                 headers={"X-Staff-Name": "Jana"}, token=self.srv.admin_token)
        self.assertEqual((st, body), (200, {"deleted": a["id"]}))
        got, pbuf = read_events(phone, pbuf, b"announcement_deleted", 1)
        self.assertEqual(got, [{"id": a["id"]}])
        self.assertEqual(self.listed(), [b])
        st, _, _ = self.srv.request("GET", HUNT + "/announcements",
                                    headers={"If-None-Match": h["etag"]})
        self.assertEqual(st, 200)
        st, body = self.srv.json("DELETE", ADMIN + "/announcements/%d" % a["id"],
                                 token=self.srv.admin_token)
        self.assertEqual((st, body["error"]), (404, "not_found"))
        for bad in ("999", "0", "-1", "abc", "1x"):
            st, body = self.srv.json("DELETE", ADMIN + "/announcements/" + bad,
                                     token=self.srv.admin_token)
            self.assertEqual(st, 404, bad)
        phone.close()
        screen.close()

    def test_bad_texts_are_refused_with_a_clear_message(self):
        cases = [("", "leer"), (" \n\t ", "Steuerzeichen"), ("   \n  ", "leer"),
                 ("a\tb", "Steuerzeichen"), ("a\x07b", "Steuerzeichen"),
                 ("a\x85b", "Steuerzeichen"), ("x" * 1001, "1000")]
        for text, word in cases:
            st, body = self.post(text)
            self.assertEqual((st, body["error"]), (400, "bad_request"), repr(text))
            self.assertIn(word, body["message"], repr(text))
        st, body = self.post("", lang="en")
        self.assertEqual(body["message"], "The announcement is empty.")
        # 1000 characters are fine, counted as characters, not bytes: raw UTF-8 or as
        # JSON escapes (emoji as surrogate pairs, 12 bytes each)
        st, body = self.post("ä" * 1000)
        self.assertEqual(st, 201)
        self.assertEqual(len(body["text"]), 1000)
        st, body = self.post("\U0001F600" * 1000)
        self.assertEqual(st, 201)
        self.assertEqual(body["text"], "\U0001F600" * 1000)
        st, body = self.srv.json("POST", ADMIN + "/announcements",
                                 raw_body=json.dumps({"text": "ä" * 1000}, ensure_ascii=False)
                                 .encode(), headers={"Content-Type": "application/json"},
                                 token=self.srv.admin_token)
        self.assertEqual(st, 201)
        st, body = self.post("\U0001F600" * 1001)
        self.assertEqual(st, 400)
        for body_ in ({}, {"text": 5}, {"text": "x", "extra": 1}, {"text": "a\x00b"}):
            st, body = self.srv.json("POST", ADMIN + "/announcements", body_,
                                     token=self.srv.admin_token)
            self.assertEqual((st, body["error"]), (400, "bad_json"), body_)
        self.assertEqual(len(self.listed()), 3)

    def test_staff_only_and_methods(self):
        st, body = self.srv.json("POST", ADMIN + "/announcements", {"text": "Hallo"})
        self.assertEqual((st, body["error"]), (401, "unauthorized"))
        st, h, _ = self.srv.request("POST", ADMIN + "/announcements", {"text": "Hallo"},
                                    token="wrong-token-wrong-token")
        self.assertEqual(st, 401)
        self.assertEqual(h["www-authenticate"], "Bearer")
        st, body = self.srv.json("DELETE", ADMIN + "/announcements/1")
        self.assertEqual(st, 401)
        # a team's token is no staff token
        st, team = self.srv.json("POST", HUNT + "/teams", {"name": "Füchse"})
        st, body = self.srv.json("POST", ADMIN + "/announcements", {"text": "Hallo"},
                                 token=team["token"])
        self.assertEqual(st, 401)
        self.assertEqual(self.listed(), [])
        st, h, _ = self.srv.request("GET", ADMIN + "/announcements", token=self.srv.admin_token)
        self.assertEqual((st, h["allow"]), (405, "POST"))
        st, h, _ = self.srv.request("PUT", ADMIN + "/announcements/1", {"text": "x"},
                                    token=self.srv.admin_token)
        self.assertEqual((st, h["allow"]), (405, "DELETE"))
        st, h, _ = self.srv.request("POST", HUNT + "/announcements", {"text": "x"})
        self.assertEqual((st, h["allow"]), (405, "GET, HEAD"))
        st, body = self.srv.json("GET", "/api/hunts/nope/announcements")
        self.assertEqual((st, body["error"]), (404, "unknown_hunt"))

    def test_a_hunt_holds_at_most_100_and_deleted_ones_do_not_count(self):
        ids = []
        for i in range(100):
            st, a = self.post("Durchsage %d" % i)
            self.assertEqual(st, 201, a)
            ids.append(a["id"])
        st, body = self.post("eine zu viel")
        self.assertEqual((st, body["error"]), (409, "too_many_announcements"))
        self.assertIn("100", body["message"])
        st, _ = self.srv.json("DELETE", ADMIN + "/announcements/%d" % ids[0],
                              token=self.srv.admin_token)
        self.assertEqual(st, 200)
        st, a = self.post("jetzt wieder Platz")
        self.assertEqual(st, 201)
        self.assertNotIn(a["id"], ids)  # an id is never given out twice
        self.assertEqual(len(self.listed()), 100)

    def test_kept_across_a_restart_and_in_the_staff_log(self):
        st, a = self.post("Bleibt", who="Jürgen")
        st, b = self.post("Wird gelöscht")
        st, _ = self.srv.json("DELETE", ADMIN + "/announcements/%d" % b["id"],
                              headers={"X-Staff-Name": "Ute"}, token=self.srv.admin_token)
        self.assertEqual(st, 200)
        self.srv.restart()
        self.assertEqual(self.listed(), [a])
        st, c = self.post("Nach dem Neustart")
        self.assertGreater(c["id"], b["id"])  # not b's id again
        self.srv.signal_hup()  # a reload reads them anew too
        time.sleep(0.5)
        self.assertEqual(self.listed(), [c, a])
        st, log = self.srv.json("GET", ADMIN + "/log", token=self.srv.admin_token)
        rows = [(e["who"], e["action"], e["team"], e["detail"]) for e in log["entries"]]
        self.assertEqual(rows, [
            ("Jana", "announce", None, {"id": c["id"], "text": "Nach dem Neustart"}),
            ("Ute", "delete_announcement", None, {"id": b["id"], "text": "Wird gelöscht"}),
            ("Jana", "announce", None, {"id": b["id"], "text": "Wird gelöscht"}),
            ("Jürgen", "announce", None, {"id": a["id"], "text": "Bleibt"}),
        ])
        with sqlite3.connect(self.srv.db) as db:
            n = db.execute("SELECT count(*), count(deleted_at_ms) FROM announcements").fetchone()
        self.assertEqual(n, (3, 1))

    def test_a_failed_commit_announces_nothing(self):
        fault = self.srv.dir + "/fault"
        self.srv.stop()
        self.srv.env["SPUR_FAULT_FILE"] = fault
        self.srv.start()
        phone = open_stream(self.srv)
        _, buf = read_events(phone, b"", b"leaderboard", 1)
        open(fault, "w").close()
        st, body = self.post("geht nicht")
        self.assertEqual((st, body["error"]), (503, "storage_failed"))
        phone.settimeout(0.5)
        _, buf = read_events(phone, buf, b"announcement", 1)
        self.assertNotIn(b"event: announcement", buf)
        self.assertEqual(self.listed(), [])
        phone.close()


if __name__ == "__main__":
    unittest.main()
