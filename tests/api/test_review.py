"""Regression tests for bugs found in review: each failed before its fix."""
import json
import signal
import sqlite3
import socket
import threading
import time
import unittest

from spurlib import SHORT_HUNT, Server, demo_hunt, epoch, now_iso, parse_responses, sleep_until


def new_team(srv, name, hunt="test-hunt"):
    st, body = srv.json("POST", f"/api/hunts/{hunt}/teams", {"name": name})
    assert st == 201, (st, body)
    return body["token"], body


class TestReceiptTime(unittest.TestCase):
    def test_write_parked_before_the_deadline_is_judged_when_it_arrived(self):
        # A team's second answer waits (parked) while its first is being committed. It
        # arrived before ends_at, so it counts even when the commit ahead of it ends
        # after the deadline ("the server judges by the time it receives a request").
        hunt = demo_hunt(starts_in=-60, ends_in=SHORT_HUNT)
        ends = epoch(hunt["ends_at"])
        with Server(hunt_json=hunt) as srv:
            tok, _ = new_team(srv, "Knapp")
            # hold the lock for about a second, well under the writer's busy timeout
            sleep_until(ends - 1.0)
            lock = sqlite3.connect(srv.db, timeout=5, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")  # the writer's next commit now waits
            results = {}

            def answer(pid, ans):
                results[pid] = srv.json("POST", f"/api/hunts/test-hunt/puzzles/{pid}/answer",
                                        {"answer": ans}, token=tok, timeout=20)
            first = threading.Thread(target=answer, args=("farbe", "gruen"))
            first.start()
            time.sleep(0.3)
            second = threading.Thread(target=answer, args=("stufen", "42"))
            second.start()
            time.sleep(0.3)
            self.assertLess(time.time(), ends, "too slow: the test needs both before ends_at")
            sleep_until(ends + 0.3)
            lock.execute("ROLLBACK")
            lock.close()
            first.join()
            second.join()
            self.assertEqual(results["farbe"][0], 200, results)
            self.assertEqual(results["stufen"][0], 200, results)
            self.assertEqual(results["stufen"][1]["score"], 12)


class TestLateSyncRanking(unittest.TestCase):
    def test_late_item_does_not_move_the_time_a_score_was_reached_back(self):
        # A and B both reach 8 online, A first; after the deadline each syncs an offline
        # answer made earlier (B's made earlier than A's). Each reached 12 when its online
        # answer counted, so A stays ahead, and last_solve_at does not go back in time.
        hunt = demo_hunt(starts_in=-60, ends_in=SHORT_HUNT)
        made_a, made_b = now_iso(-10), now_iso(-20)
        with Server(hunt_json=hunt) as srv:
            a, _ = new_team(srv, "Anna")
            b, _ = new_team(srv, "Bert")
            for tok in (a, b):
                st, _ = srv.json("POST", "/api/hunts/test-hunt/puzzles/stufen/answer",
                                 {"answer": "42"}, token=tok)
                self.assertEqual(st, 200)
                time.sleep(0.05)
            lb = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            online = {t["name"]: t["last_solve_at"] for t in lb["teams"]}
            self.assertLess(time.time(), epoch(hunt["ends_at"]), "too slow: answers came late")
            sleep_until(epoch(hunt["ends_at"]) + 0.2)
            for tok, made in ((a, made_a), (b, made_b)):
                st, body = srv.json("POST", "/api/hunts/test-hunt/puzzles/farbe/answer",
                                    {"answer": "gruen", "made_at": made}, token=tok)
                self.assertEqual((st, body.get("correct")), (200, True), body)
            lb = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            self.assertEqual([(t["name"], t["score"]) for t in lb["teams"]],
                             [("Anna", 12), ("Bert", 12)])
            self.assertEqual({t["name"]: t["last_solve_at"] for t in lb["teams"]}, online)
            # the same order after a restart (the events are replayed)
            srv.restart()
            lb2 = srv.json("GET", "/api/hunts/test-hunt/leaderboard")[1]
            self.assertEqual(lb2["teams"], lb["teams"])


class TestGracefulStop(unittest.TestCase):
    def test_sigterm_answers_every_pipelined_write_in_flight(self):
        # Two writes of one team pipelined on one connection: the second waits behind the
        # first's commit. SIGTERM comes while the first is still being committed. Both are
        # committed and both answers must reach the client, the last with Connection: close.
        with Server(hunt_json=demo_hunt()) as srv:
            tok, _ = new_team(srv, "Feierabend")
            lock = sqlite3.connect(srv.db, timeout=5, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")  # the writer's next commit now waits

            def post(pid, ans):
                body = json.dumps({"answer": ans}).encode()
                return (b"POST /api/hunts/test-hunt/puzzles/%s/answer HTTP/1.1\r\nHost: x\r\n"
                        b"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % (pid.encode(), tok.encode(), len(body))
                        ) + body
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            s.sendall(post("farbe", "gruen") + post("stufen", "42"))
            time.sleep(0.3)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            lock.execute("ROLLBACK")
            lock.close()
            data = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    break
                if not chunk:
                    break
                data += chunk
            s.close()
            self.assertEqual(srv.proc.wait(20), 0)
            srv.proc = None
            srv.check_stderr()
            got = parse_responses(data)
            self.assertEqual([r[0] for r in got], [200, 200], data)
            self.assertEqual(json.loads(got[1][2])["score"], 12)
            self.assertEqual(got[-1][1]["connection"], "close")


if __name__ == "__main__":
    unittest.main()
