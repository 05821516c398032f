#!/usr/bin/env python3
"""An independent implementation of the prize draw "spur-draw-v1" and
"spur-draw-v2" (docs/draw.md) with the Python 3 standard library only, written
from that description and not from the C code.

    python3 tests/draw_vectors.py            prints the golden vectors that
                                             tests/unit/test_draw.c holds as constants
    python3 tests/draw_vectors.py REC.json [BEACON]
                                             verifies a record (or the GET /draw
                                             document) and prints VERIFIED or why not;
                                             BEACON: the value the public source gave

tests/api/test_draw.py imports it to check records made by a real spurd."""

import hashlib
import hmac
import json
import sys

V1, V2 = "spur-draw-v1", "spur-draw-v2"
# The HMAC label of the random stream: v2 only changed the key, the label stays.
STREAM_LABEL = b"spur-draw-v1"
TWO64 = 1 << 64


def eligible_lines(ids):
    """The canonical lines, ordered by numeric team id, one ticket each."""
    return ["%d\t1" % i for i in sorted(ids)]


def eligible_hash(lines):
    return hashlib.sha256("".join(line + "\n" for line in lines).encode("utf-8")).digest()


def draw_key(seed, e, prize, beacon=None):
    """v1: SHA-256(S || E || prize); v2: SHA-256(S || E || prize || 0x00 || beacon)."""
    tail = b"" if beacon is None else b"\x00" + beacon.encode("utf-8")
    return hashlib.sha256(seed + e + prize.encode("utf-8") + tail).digest()


def stream(key):
    """The numbers of the random stream, forever."""
    i = 0
    while True:
        block = hmac.new(key, STREAM_LABEL + i.to_bytes(8, "big"), hashlib.sha256).digest()
        for j in range(4):
            yield int.from_bytes(block[8 * j:8 * j + 8], "big")
        i += 1


def pick(n, numbers):
    """One pick among n: reject x >= 2^64 - (2^64 mod n). Returns (pick, numbers taken)."""
    bound = TWO64 - (TWO64 % n)
    taken = 0
    while True:
        x = next(numbers)
        taken += 1
        if x < bound:
            return x % n, taken


def draw(seed, ids, prize, count, reserves, beacon=None):
    """(winners, reserve_winners) as lists of team ids. count "all": every id wins."""
    lines = eligible_lines(ids)
    left = [int(line.split("\t")[0]) for line in lines]
    if count == "all":
        return left, []
    numbers = stream(draw_key(seed, eligible_hash(lines), prize, beacon))
    out = []
    while len(out) < count + reserves and left:
        i, _ = pick(len(left), numbers)
        out.append(left.pop(i))
    return out[:count], out[count:]


def beacon_ok(b):
    """1..256 bytes of UTF-8 without control characters (C0, DEL, C1)."""
    return (isinstance(b, str) and 1 <= len(b.encode("utf-8", "surrogatepass")) <= 256
            and not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or 0xd800 <= ord(c) <= 0xdfff
                        for c in b))


def verify(rec, commitment=None, beacon=None):
    """Differences between rec and its recomputation; [] when it verifies. beacon:
    the value the record's public source announced, to compare with the record's."""
    diffs = []
    alg = rec.get("algorithm")
    if alg not in (V1, V2):
        return ["algorithm is %r" % alg]
    rec_beacon = None
    if alg == V2:
        rec_beacon = rec.get("beacon")
        if not beacon_ok(rec_beacon):
            return ["beacon is not a beacon value"]
        if not isinstance(rec.get("beacon_description"), str):
            diffs.append("beacon_description missing")
        if beacon is not None and beacon != rec_beacon:
            diffs.append("beacon differs: record says %r, the source gave %r" %
                         (rec_beacon, beacon))
    elif "beacon" in rec or beacon is not None:
        diffs.append("a spur-draw-v1 record has no beacon")
    seed = bytes.fromhex(rec["seed"])
    c = hashlib.sha256(seed).hexdigest()
    if rec.get("commitment") != c:
        diffs.append("commitment differs")
    if commitment is not None and commitment != c:
        diffs.append("seed does not match the published commitment")
    lines = rec["eligible"]
    ids = []
    for line in lines:
        num, tab, tickets = line.partition("\t")
        if not (tab and tickets == "1" and num.isdigit() and num[0] != "0"):
            diffs.append("bad eligible line %r" % line)
            return diffs
        ids.append(int(num))
    if ids != sorted(set(ids)):
        diffs.append("eligible not in ascending order")
    # "excluded" came later: records without it still verify
    excluded = rec.get("excluded", [])
    if (not isinstance(excluded, list) or
            not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in excluded) or
            excluded != sorted(set(excluded))):
        diffs.append("excluded is not an ascending list of team ids")
    elif set(excluded) & set(ids):
        diffs.append("teams both excluded and eligible: %s" % sorted(set(excluded) & set(ids)))
    if rec.get("eligible_sha256") != eligible_hash(lines).hex():
        diffs.append("eligible_sha256 differs")
    winners, reserves = draw(seed, ids, rec["prize"], rec["count"], rec.get("reserves", 0),
                             rec_beacon)
    if rec.get("winners") != winners:
        diffs.append("winners differ: record says %s, recomputed %s" % (rec.get("winners"), winners))
    if rec.get("reserve_winners") != reserves:
        diffs.append("reserve_winners differ")
    return diffs


# The golden cases; tests/unit/test_draw.c holds what main() prints for them.
SEED_A = bytes(range(32))
SEED_B = hashlib.sha256(b"spur golden seed B").digest()
CASES = [
    ("design_example", SEED_A, [12, 3, 7], "paket", 1, 2),
    ("ten_teams", SEED_B, list(range(1, 11)), "sachpreis", 3, 3),
    ("fewer_than_count", SEED_A, [5, 40], "urkunde", 3, 1),
    ("big_ids", SEED_B, [100, 9, 1000000007, 42, 77, 8], "\u00e9clair", 2, 1),
]
# spur-draw-v2: the design example's teams and prize, with a beacon (a made-up
# lottery result; the key changes, the stream label does not)
BEACON = "Lotto 6aus49, Ziehung vom 2026-07-01: 3 11 19 27 35 49, Superzahl 7"
CASES_V2 = [
    ("design_example_v2", SEED_A, [12, 3, 7], "paket", 1, 2, BEACON),
    ("ten_teams_v2", SEED_B, list(range(1, 11)), "sachpreis", 3, 3, "\u00fc"),
]


def c_ids(ids):
    return "{" + ", ".join(str(i) for i in ids) + "}" if ids else "{0}"


def main():
    print("/* generated by tests/draw_vectors.py */")
    print("seed A = %s" % SEED_A.hex())
    print("seed B = %s" % SEED_B.hex())
    k = draw_key(SEED_A, eligible_hash(eligible_lines([3, 7, 12])), "paket")
    s = stream(k)
    print("design_example K = %s" % k.hex())
    print("design_example first numbers = %s" % ", ".join("0x%016xu" % next(s) for _ in range(5)))
    for name, seed, ids, prize, count, reserves in CASES:
        lines = eligible_lines(ids)
        w, r = draw(seed, ids, prize, count, reserves)
        print("%s: E = %s winners %s (%d) reserves %s (%d)" %
              (name, eligible_hash(lines).hex(), c_ids(w), len(w), c_ids(r), len(r)))
    for name, seed, ids, prize, count, reserves, beacon in CASES_V2:
        lines = eligible_lines(ids)
        k = draw_key(seed, eligible_hash(lines), prize, beacon)
        w, r = draw(seed, ids, prize, count, reserves, beacon)
        print("%s: beacon %r K = %s winners %s (%d) reserves %s (%d)" %
              (name, beacon, k.hex(), c_ids(w), len(w), c_ids(r), len(r)))
    # the pick with a crafted list of numbers: the rejection bound in action
    for n, xs in ((3, [TWO64 - 1, 5]), ((1 << 63) + 1, [(1 << 63) + 1, TWO64 - 1, 1 << 63]),
                  (5, [TWO64 - 2, TWO64 - 1, 7]), (4, [TWO64 - 1])):
        print("pick n=%d xs=%s -> %s" % (n, [hex(x) for x in xs], pick(n, iter(xs))))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as f:
            doc = json.load(f)
        recs = doc["draws"] if "draws" in doc else [doc]
        bad = 0
        for rec in recs:
            d = verify(rec, doc.get("commitment"), sys.argv[2] if len(sys.argv) > 2 else None)
            print("%s: %s" % (rec.get("prize"), "VERIFIED" if not d else "; ".join(d)))
            bad += bool(d)
        sys.exit(1 if bad else 0)
    main()
