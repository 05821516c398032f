"""The office workbook: GET /api/admin/hunts/{h}/export.xlsx and `spur export --format
xlsx` on a real spurd whose hunt ends a few seconds after the test starts, read back
with Python's zipfile and XML parser alone (what Excel reads: the sheets, the
cells, the number format of the times). A staff test team cannot be made through
the API yet; tests/unit/test_office.c checks that one is left out."""

import datetime
import io
import os
import re
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo

from spurlib import BUILD, SHORT_HUNT, Server, demo_hunt, epoch, sleep_until

HUNT = "test-hunt"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL = '=HYPERLINK("http://e.vil","x")'
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def read_workbook(data):
    """{sheet name: [[cell, ...], ...]} in sheet order, cells as strings or floats,
    plus {sheet name: {cell ref: number format}} for the numbers that have one."""
    z = zipfile.ZipFile(io.BytesIO(data))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode")
            for f in styles.findall("m:numFmts/m:numFmt", NS)}
    xfs = [int(x.get("numFmtId", 0)) for x in styles.findall("m:cellXfs/m:xf", NS)]
    sheets, formats = {}, {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        name = s.get("name")
        path = "xl/" + target[s.get(f"{{{NS['r']}}}id")].lstrip("/").removeprefix("xl/")
        root = ET.fromstring(z.read(path))
        rows, formats[name] = [], {}
        for row in root.findall("m:sheetData/m:row", NS):
            cells = {}
            for c in row.findall("m:c", NS):
                ref, kind = c.get("r"), c.get("t")
                col = re.match(r"[A-Z]+", ref).group(0)
                if kind == "inlineStr":
                    val = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif kind == "s":
                    val = shared[int(c.find("m:v", NS).text)]
                elif c.find("m:v", NS) is not None:
                    val = float(c.find("m:v", NS).text)
                    fmt = fmts.get(xfs[int(c.get("s", 0))])
                    if fmt:
                        formats[name][ref] = fmt
                else:
                    val = ""
                cells[col] = val
            width = max((ord(k) - 64 for k in cells), default=0)
            rows.append([cells.get(chr(65 + i), "") for i in range(width)])
        sheets[name] = rows
    return sheets, formats, {n: z.read(n).decode() for n in z.namelist()
                             if n.startswith("xl/worksheets/")}


def excel_serial(iso, zone):
    """An RFC 3339 UTC time as the Excel date-time a clock in zone shows."""
    t = datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    frac = float("0" + iso[19:].rstrip("Z")) if iso[19:20] == "." else 0.0
    local = t.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    return (local - datetime.datetime(1899, 12, 30)).total_seconds() / 86400 + frac / 86400


class TestXlsx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        hunt = demo_hunt(starts_in=-60, ends_in=SHORT_HUNT)
        hunt["late_sync_grace"] = 0
        hunt["prizes"] = [
            {"id": "paket", "name": "Kaiserslautern-Paket: 1/2", "count": 1, "reserves": 2,
             "eligible": "all"},
            {"id": "urkunde", "name": "Urkunde", "count": "all", "eligible": "all"},
            {"id": "nie", "name": "Nie gezogen", "count": 1, "eligible": "all"},
        ]
        cls.ends_at = epoch(hunt["ends_at"])
        cls.srv = Server(hunt_json=hunt).__enter__()
        cls.tokens = {}
        try:
            for name, answers in (("Füchse", [("stufen", "42"), ("farbe", "gruen")]),
                                  (EVIL, [("stufen", "42")]),
                                  ("Eulen", [("farbe", "gruen")]),
                                  ("Schläfer", [])):
                st, body = cls.srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": name})
                assert st == 201, (st, body)
                cls.tokens[name] = body["token"]
                for pid, ans in answers:
                    st, res = cls.srv.json("POST", f"/api/hunts/{HUNT}/puzzles/{pid}/answer",
                                           {"answer": ans}, token=body["token"])
                    assert st == 200 and res["correct"], (st, res)
            sleep_until(cls.ends_at + 1.2)
            for prize in ("paket", "urkunde"):
                st, body = cls.srv.json("POST", f"/api/admin/hunts/{HUNT}/draw",
                                        {"prize": prize}, token=cls.srv.admin_token)
                assert st == 200, (st, body)
            cls.board = cls.srv.json("GET", f"/api/hunts/{HUNT}/leaderboard")[1]["teams"]
            cls.response = cls.srv.request("GET", f"/api/admin/hunts/{HUNT}/export.xlsx",
                                           token=cls.srv.admin_token)
        except BaseException:
            cls.srv.__exit__(None, None, None)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.srv.__exit__(None, None, None)

    def workbook(self):
        st, headers, raw = self.response
        self.assertEqual(st, 200, raw[:200])
        return read_workbook(raw)

    def test_download_is_an_xlsx_attachment_for_staff_only(self):
        st, headers, raw = self.response
        self.assertEqual(st, 200)
        self.assertEqual(headers["content-type"], XLSX)
        self.assertEqual(headers["content-disposition"],
                         'attachment; filename="test-hunt-ergebnisse.xlsx"')
        self.assertEqual(raw[:2], b"PK")
        # headers stay in view and can filter: a frozen first row, an autofilter over it
        ranking = read_workbook(raw)[2]["xl/worksheets/sheet1.xml"]
        self.assertIn('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                      'state="frozen"/>', ranking)
        self.assertIn('<autoFilter ref="A1:H5"/>', ranking)
        st, _, _ = self.srv.request("GET", f"/api/admin/hunts/{HUNT}/export.xlsx")
        self.assertEqual(st, 401)
        st, _, _ = self.srv.request("GET", "/api/admin/hunts/nope/export.xlsx",
                                    token=self.srv.admin_token)
        self.assertEqual(st, 404)

    def test_ranking_sheet_matches_the_leaderboard_in_local_time(self):
        sheets, formats, _ = self.workbook()
        rows = sheets["Rangliste"]
        self.assertEqual(rows[0], ["Rang", "Team", "Punkte", "Gelöst", "Tipps",
                                   "Letzte Lösung (Europe/Berlin)", "Team-ID", "verborgen"])
        self.assertEqual([(int(r[0]), r[1], int(r[2]), int(r[3])) for r in rows[1:]],
                         [(t["rank"], t["name"], t["score"], t["solved"]) for t in self.board])
        first = rows[1]
        self.assertEqual(first[1], "Füchse")
        self.assertEqual(first[4], 0)
        self.assertEqual(first[7], "nein")
        self.assertAlmostEqual(first[5], excel_serial(self.board[0]["last_solve_at"],
                                                      "Europe/Berlin"), delta=1 / 86400)
        self.assertEqual(formats["Rangliste"]["F2"], "dd.mm.yyyy hh:mm")
        # a formula-looking name stays text; a team without a solve has no time
        evil = next(r for r in rows if r[1] == EVIL)
        self.assertEqual(int(evil[2]), 8)
        sleeper = next(r for r in rows if r[1] == "Schläfer")
        self.assertEqual(sleeper[5], "")

    def test_one_sheet_per_drawn_prize_with_claim_codes(self):
        sheets, _, _ = self.workbook()
        # ":" and "/" are not allowed in sheet names; a prize never drawn has no sheet
        self.assertEqual(list(sheets), ["Rangliste", "Kaiserslautern-Paket_ 1_2", "Urkunde"])
        rows = sheets["Kaiserslautern-Paket_ 1_2"]
        self.assertEqual(rows[0], ["Platz", "Team-ID", "Team", "Abholcode", "ausgegeben"])
        self.assertEqual([r[0] for r in rows[1:]], ["Gewinner 1", "Nachrücker 1", "Nachrücker 2"])
        st, record = self.srv.json("GET", f"/api/hunts/{HUNT}/draw")
        paket = next(d for d in record["draws"] if d["prize"] == "paket")
        self.assertEqual([int(r[1]) for r in rows[1:]],
                         paket["winners"] + paket["reserve_winners"])
        for r in rows[1:]:
            me = self.srv.json("GET", f"/api/hunts/{HUNT}/me", token=self.tokens[r[2]])[1]
            code = next(p["claim_code"] for p in me["prizes"] if p["prize"] == "paket")
            self.assertEqual(r[3], code)
            self.assertEqual(r[4:], [] if len(r) == 4 else [""])
        # "all": every team that scored, all winners
        self.assertEqual(sorted(r[2] for r in sheets["Urkunde"][1:]),
                         sorted([EVIL, "Eulen", "Füchse"]))

    def test_spur_export_writes_the_same_workbook(self):
        out = os.path.join(self.srv.tmp, "ergebnisse.xlsx")
        r = subprocess.run([os.path.join(BUILD, "spur"), "export", "--db", self.srv.db,
                            "--hunt", HUNT, "--format", "xlsx", "-o", out],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
        with open(out, "rb") as f:
            tool = read_workbook(f.read())
        self.assertEqual(tool[:2], self.workbook()[:2])

    def test_hunt_shows_its_time_zone(self):
        st, hunt = self.srv.json("GET", f"/api/hunts/{HUNT}")
        self.assertEqual((st, hunt["time_zone"]), (200, "Europe/Berlin"))


class TestXlsxZone(unittest.TestCase):
    def test_times_follow_the_hunts_time_zone(self):
        hunt = demo_hunt()
        hunt["time_zone"] = "America/New_York"
        with Server(hunt_json=hunt) as srv:
            st, body = srv.json("POST", f"/api/hunts/{HUNT}/teams", {"name": "Owls"})
            token = body["token"]
            st, res = srv.json("POST", f"/api/hunts/{HUNT}/puzzles/stufen/answer",
                               {"answer": "42"}, token=token)
            self.assertEqual(st, 200)
            self.assertEqual(srv.json("GET", f"/api/hunts/{HUNT}")[1]["time_zone"],
                             "America/New_York")
            last = srv.json("GET", f"/api/hunts/{HUNT}/leaderboard")[1]["teams"][0][
                "last_solve_at"]
            st, headers, raw = srv.request("GET", f"/api/admin/hunts/{HUNT}/export.xlsx",
                                           token=srv.admin_token)
            self.assertEqual(st, 200)
            rows = read_workbook(raw)[0]["Rangliste"]
            self.assertEqual(rows[0][5], "Letzte Lösung (America/New_York)")
            self.assertAlmostEqual(rows[1][5], excel_serial(last, "America/New_York"),
                                   delta=1 / 86400)
            self.assertEqual(list(read_workbook(raw)[0]), ["Rangliste"])


if __name__ == "__main__":
    unittest.main()
