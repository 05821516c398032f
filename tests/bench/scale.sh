#!/bin/sh
# make bench, scale part (issue 10): spurd at city size, each figure beside its
# reference measured in the same run, all on loopback.
#
#   1. builds two databases through spur's own store code ($BUILD/bench/mkdb: the
#      writer thread, records as the live handlers make them): 20,000 teams with
#      200,000 solves and 100,000 teams with 1,000,000 solves (a hunt of 20 puzzles,
#      two of them scans, and a 21st, "live", that only this script answers);
#   2. start-up: exec of spurd -> first 200 from /healthz, best of 3, on each
#      (startup.py), and spurd's RSS then;
#   3. on the big one: GET leaderboard (top 100) with wrk against nginx (1 worker)
#      serving the very same bytes from a file;
#   4. durable answers from ANSWER_CONNS (1,000) wrk connections, each request a
#      different wrong answer from the next of up to 20,000 teams (so each is judged,
#      stored and counted; the hunt allows 64 a second per team), against raw SQLite
#      doing the same INSERT in 100-row durable commits (WAL, synchronous=FULL) on a
#      copy of the same database; and, as the ceiling of the machine, nginx (1 worker)
#      answering the same requests with a constant through the same wrk script;
#   5. one answer -> its push at each of STREAMS (10,000) open event streams, for
#      CHANGES (20) answers 1.2-2.2 s apart (fanout.py: ?limit=0 streams from
#      127.0.0.2.., kernel receive timestamps).
# Then a table: figure, spurd, reference, ratio, goal, met/NOT MET. Everything
# printed is measured in this run. SCALE=small: 1,000/10,000 and 2,000/20,000,
# 1,000 streams, for a quick look (the goals are for the full size). DURATION
# (seconds per wrk run, default 8) as in bench.sh. Machines here are shared and
# noisy: the ratios matter more than the absolute numbers.
set -eu
BUILD=${SPUR_BUILD:-build}
SCALE=${SCALE:-full}
DURATION=${DURATION:-8}
ANSWER_CONNS=${ANSWER_CONNS:-1000}
CHANGES=${CHANGES:-20} # answers whose pushes are timed
LB_CONNS=${CONNS:-64}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $SCALE in
full) T1=20000 S1=200000 T2=100000 S2=1000000 STREAMS=${STREAMS:-10000} ;;
small) T1=1000 S1=10000 T2=2000 S2=20000 STREAMS=${STREAMS:-1000} ;;
*)
    echo "scale.sh: SCALE is full (default) or small" >&2
    exit 2
    ;;
esac
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
for f in "$BUILD/spurd" "$BUILD/bench/mkdb"; do
    [ -x "$f" ] || {
        echo "scale.sh: $f is missing (make $f, or make bench)" >&2
        exit 2
    }
done
for t in wrk nginx python3 timeout; do
    command -v "$t" >/dev/null || {
        echo "scale.sh: $t is not installed (make deps)" >&2
        exit 2
    }
done

WORK=$(mktemp -d /tmp/spur-scale.XXXXXX)
. "$ROOT/tests/bench/lib.sh" # cleanup, free_port, nginx_same_bytes
trap cleanup EXIT
trap 'exit 130' INT TERM
RES=$WORK/results # key=value, read by the table at the end
: >"$RES"
put() { echo "$1=$2" >>"$RES"; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # 1,000 wrk connections, 10,000 streams
json_get() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print("" if v is None else v)' "$1" "$2"; }

echo "spur bench, scale part (SCALE=$SCALE): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(date -u '+%Y-%m-%d %H:%M UTC')"

# ---- the hunt and the databases --------------------------------------------------
python3 - "$WORK/hunt.json" <<'PY'
import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: (now + datetime.timedelta(seconds=d)).strftime("%Y-%m-%dT%H:%M:%SZ")
places = [{"id": f"p{i}", "name": f"Platz {i}", "lat": 49.0 + i / 100, "lon": 7.0} for i in (1, 2)]
puzzles = [{"id": f"s{i}", "title": f"Ort {i}", "kind": "scan", "place": f"p{i}",
            "clue": "Scannt den Code.", "points": 2 + i} for i in (1, 2)]
puzzles += [{"id": f"q{i:02d}", "title": f"Frage {i}", "clue": "?", "points": 1 + (i * 7) % 19,
             "answer": {"accept": [f"Antwort {i}"], "partial": {f"fast {i}": "Weiter so!"}}}
            for i in range(1, 19)]
puzzles.append({"id": "live", "title": "Live", "clue": "?", "points": 5,
                "answer": {"accept": ["ziel"]}})
hunt = {"id": "bench", "title": "Bench", "starts_at": iso(-7 * 86400), "ends_at": iso(7 * 86400),
        "places": places, "puzzles": puzzles, "guess_limit": 64, "guess_window": 1}
with open(sys.argv[1], "w") as f:
    json.dump(hunt, f, ensure_ascii=False)
PY
build_db() { # name teams solves
    timeout -k 5 1200 "$BUILD/bench/mkdb" --hunt "$WORK/hunt.json" --out "$WORK/$1.db" \
        --teams "$2" --solves "$3" --open live --tokens "$WORK/$1.tokens" >"$WORK/mkdb.out"
    cat "$WORK/mkdb.out"
    put "build_$1" "$(sed -n 's/.* in \([0-9.]*\) s (.*/\1/p' "$WORK/mkdb.out")"
}
build_db small "$T1" "$S1"
build_db big "$T2" "$S2"
# the reference inserts into a copy of the same database (same rows, indexes, checks)
cp "$WORK/big.db" "$WORK/ref.db"
[ -f "$WORK/big.db-wal" ] && cp "$WORK/big.db-wal" "$WORK/ref.db-wal"

# ---- start-up ------------------------------------------------------------------
startup() { # name teams solves
    timeout -k 5 1000 python3 "$ROOT/tests/bench/startup.py" --spurd "$BUILD/spurd" \
        --db "$WORK/$1.db" --runs 3 --timeout 300 >"$WORK/startup-$1.json"
    put "start_$1" "$(json_get "$WORK/startup-$1.json" best)"
    put "start_$1_rss" "$(json_get "$WORK/startup-$1.json" rss_kib)"
    python3 - "$WORK/startup-$1.json" "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"start-up, {int(sys.argv[2]):,} teams / {int(sys.argv[3]):,} solves: " +
      ", ".join(f"{t:.3f}" for t in r["runs"]) + f" s (best of {len(r['runs'])}); RSS {r['rss_kib'] / 1024:.0f} MiB" + "".join(f"\n  spurd: {l}" for l in r["log"]))
PY
}
startup small "$T1" "$S1"
startup big "$T2" "$S2"

# ---- spurd on the big database --------------------------------------------------
PORT=$(free_port)
SPUR_ADMIN_TOKEN=bench SPUR_LOG=warn SPUR_HTTP_MAX_CONNS=$((STREAMS + ANSWER_CONNS + 1000)) \
    SPUR_HTTP_MAX_CONNS_PER_ADDR=$((STREAMS + ANSWER_CONNS + 1000)) \
    "$BUILD/spurd" --db "$WORK/big.db" --listen "127.0.0.1:$PORT" --assets "$ROOT/assets" \
    >"$WORK/spurd.log" 2>&1 &
SPURD_PID=$!
i=0
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 3000 ] || ! kill -0 "$SPURD_PID" 2>/dev/null; then
        echo "scale.sh: spurd did not start:" >&2
        cat "$WORK/spurd.log" >&2
        exit 1
    fi
    sleep 0.1
done
BASE="http://127.0.0.1:$PORT/api/hunts/bench"

# wrk's summary -> "rps p50_ms p99_ms non2xx"
wrk_run() { # conns url [script]
    c=$1 url=$2
    shift 2
    timeout -k 5 $((DURATION + 60)) wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency \
        ${1:+-s "$1"} "$url" >"$WORK/wrk.out" 2>&1 || true
    python3 - "$WORK/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    return float(m[1]) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[m[2]] if m else float("nan")
rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
err = re.search(r"Socket errors: (.*)", text)
print(rps[1] if rps else 0, ms(lat.get("50", "")), ms(lat.get("99", "")),
      bad[1] if bad else 0, (err[1].replace(" ", "") if err else "none"))
PY
}

# leaderboard: spurd against nginx serving the same bytes
nginx_same_bytes "$BASE/leaderboard"
put lb_bytes "$(wc -c <"$WORK/www/api/hunts/bench/leaderboard")"
# CPU time (ticks) of a process so far: with wrk on the same two cores, req/s is also
# bounded by what the server leaves to wrk, so each server's CPU per request is shown
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n1)
c0=$(cpu_ticks "$SPURD_PID")
set -- $(wrk_run "$LB_CONNS" "$BASE/leaderboard")
put lb_spurd "$1"
put lb_spurd_p99 "$3"
put lb_spurd_cpu "$(($(cpu_ticks "$SPURD_PID") - c0))"
c0=$(cpu_ticks "$NGINX_WORKER")
set -- $(wrk_run "$LB_CONNS" "$NGINX_URL")
put lb_nginx "$1"
put lb_nginx_p99 "$3"
put lb_nginx_cpu "$(($(cpu_ticks "$NGINX_WORKER") - c0))"
kill "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""
echo "leaderboard GET: done"

# durable answers: each request a different wrong answer from the next team in turn
TEAMS_WRK=$((T2 - 100 < 20000 ? T2 - 100 : 20000)) # the last 100 teams stay fresh for the pushes
head -n "$TEAMS_WRK" "$WORK/big.tokens" | cut -f2 >"$WORK/wrk.tokens"
cat >"$WORK/answer.lua" <<'LUA'
local path = "/api/hunts/bench/puzzles/live/answer"
tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
local n = 0
request = function()
    -- thread 1 takes teams 1, 3, 5, ..., thread 2 teams 2, 4, 6, ...: no team has
    -- two answers in flight (spurd would queue the second behind the first)
    local tok = tokens[(n * 2 + tid - 1) % #tokens + 1]
    n = n + 1
    return wrk.format("POST", path,
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tok},
        '{"answer":"falsch ' .. tid .. ' ' .. n .. '"}')
end
LUA
sync # the databases just written must not be flushed to disk during the measurement
ROWS0=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select max(id) from events").fetchone()[0])' "$WORK/big.db")
export TOKENS="$WORK/wrk.tokens"
set -- $(wrk_run "$ANSWER_CONNS" "$BASE/puzzles/live/answer" "$WORK/answer.lua")
put ans_rps "$1"
put ans_p50 "$2"
put ans_p99 "$3"
put ans_non2xx "$4"
# how long the writer's commits took meanwhile: a stalled commit stalls every answer in it
put ans_commits "$(curl -sf "http://127.0.0.1:$PORT/metrics" | python3 -c '
import re, sys
b = [(float(le), int(n)) for le, n in re.findall(r"spur_commit_seconds_bucket\{le=\"([0-9.]+)\"\} (\d+)", sys.stdin.read())]
tot = b[-1][1] if b else 0
over = lambda s: 100.0 * (tot - max((n for le, n in b if le <= s), default=0)) / tot if tot else 0
print(f"{over(0.016):.2f}% of answers in commits over 16 ms, {over(0.032):.2f}% over 32 ms")')"
put ans_sockerr "$5"
put ans_rows "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from events where id > ?", (int(sys.argv[2]),)).fetchone()[0])' "$WORK/big.db" "$ROWS0")"
put ans_teams "$TEAMS_WRK"
# the reference: the writer's INSERT, 100 rows per durable commit, for DURATION/2 s
put ref_rows "$(timeout -k 5 $((DURATION + 60)) python3 - "$WORK/ref.db" "$TEAMS_WRK" $((DURATION / 2 > 3 ? DURATION / 2 : 3)) <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
teams, seconds = int(sys.argv[2]), float(sys.argv[3])
assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
db.execute("PRAGMA synchronous=FULL")
db.execute("PRAGMA foreign_keys=ON")
sql = ("INSERT INTO events(hunt_id, team_id, kind, puzzle_id, place_id, client_id, input, "
       "result, points, at_ms, made_at_ms, verdict, solved) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
body = '{"correct":false,"message":"Leider nicht richtig."}'
n, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < seconds:
    now = int(time.time() * 1000)
    db.execute("BEGIN IMMEDIATE")
    db.executemany(sql, [("bench", (n + i) % teams + 1, "answer", "live", None, None,
                          f"falsch 0 {n + i}", body, 0, now, None, "wrong", None)
                         for i in range(100)])
    db.execute("COMMIT")
    n += 100
print(f"{n / (time.perf_counter() - t0):.0f}")
PY
)"
# the ceiling of this machine for these requests: nginx (1 worker, as spurd has one
# loop) answering every one of them with a constant from memory, nothing judged or
# stored, through the same wrk script and connections
NPORT=$(free_port)
mkdir -p "$WORK/nginx-ceiling"
cat >"$WORK/nginx-ceiling/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx-ceiling/nginx.pid;
error_log $WORK/nginx-ceiling/error.log;
events { worker_connections $((ANSWER_CONNS + 100)); }
http {
    access_log off;
    server {
        listen 127.0.0.1:$NPORT;
        location / { default_type application/json; return 200 '{"correct":false}'; }
    }
}
CONF
nginx -p "$WORK/nginx-ceiling" -c "$WORK/nginx-ceiling/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$NPORT/" && break
    sleep 0.1
done
set -- $(wrk_run "$ANSWER_CONNS" "http://127.0.0.1:$NPORT/api/hunts/bench/puzzles/live/answer" "$WORK/answer.lua")
put ceil_rps "$1"
put ceil_p99 "$3"
kill "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""
echo "durable answers: done"

# one answer -> its push at every stream
tail -n 100 "$WORK/big.tokens" | python3 -c '
import json, sys
json.dump([[l.split("\t")[1].strip(), "live", "ziel"] for l in sys.stdin], open(sys.argv[1], "w"))' "$WORK/push.json"
if timeout -k 5 900 python3 "$ROOT/tests/bench/fanout.py" --url "http://127.0.0.1:$PORT" --hunt bench \
    --pid "$SPURD_PID" --answers "$WORK/push.json" --clients "$STREAMS" --changes "$CHANGES" \
    >"$WORK/fanout.json"; then
    for k in connected missed early pairs p50_ms p99_ms max_ms spread_p50_ms spread_max_ms dropped rss_kib cpu_s_changes; do
        put "push_$k" "$(json_get "$WORK/fanout.json" "$k")"
    done
fi
echo "push fan-out: done"

# ---- the table -------------------------------------------------------------------
python3 - "$RES" "$SCALE" "$T1" "$S1" "$T2" "$S2" "$STREAMS" "$ANSWER_CONNS" "$LB_CONNS" "$DURATION" "$CHANGES" <<'PY'
import sys
kv = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
scale, t1, s1, t2, s2, streams, aconns, lconns, dur, changes = sys.argv[2:]
def num(k):
    try:
        return float(kv[k])
    except (KeyError, ValueError):
        return None
def fmt(v, spec="{:,.0f}", unit=""):
    return "-" if v is None or v != v else spec.format(v) + unit
def verdict(ok):
    return "-" if ok is None else ("met" if ok else "NOT MET")
n = lambda s: f"{int(s):,}"
rows = []
for name, t, s in (("small", t1, s1), ("big", t2, s2)):
    v, rss = num(f"start_{name}"), num(f"start_{name}_rss")
    goal = "< 2 s" if name == "big" else "-"
    rows.append((f"start-up, {n(t)} teams / {n(s)} solves",
                 fmt(v, "{:.2f}", " s") + (f" (RSS {rss / 1024:.0f} MiB)" if rss else ""),
                 "-", "-", goal, verdict(None if name != "big" or v is None else v < 2.0)))
a, r = num("ans_rps"), num("ref_rows")
ratio = a / r if a and r else None
rows.append((f"durable answers, {aconns} conns, req/s", fmt(a),
             "raw SQLite 100-row commits " + fmt(r, unit=" rows/s"), fmt(ratio, "{:.2f}x"),
             ">= 0.5x", verdict(None if ratio is None else ratio >= 0.5)))
c = num("ceil_rps")
ratio = a / c if a and c else None
rows.append(("the same against this machine's ceiling", fmt(a),
             "nginx, 1 worker, a constant reply " + fmt(c, unit=" req/s"), fmt(ratio, "{:.2f}x"),
             "-", "-"))
p50, p99 = num("ans_p50"), num("ans_p99")
rows.append(("durable answers, latency p50 / p99", f"{fmt(p50, '{:.1f}')} / {fmt(p99, '{:.1f}')} ms",
             "-", "-", "p99 < 50 ms", verdict(None if p99 is None or p99 != p99 else p99 < 50)))
l, g = num("lb_spurd"), num("lb_nginx")
ratio = l / g if l and g else None
rows.append((f"leaderboard GET (top 100, {fmt(num('lb_bytes'))} B), req/s", fmt(l),
             "nginx, 1 worker, same bytes " + fmt(g, unit=" req/s"), fmt(ratio, "{:.2f}x"),
             ">= 1.5x", verdict(None if ratio is None else ratio >= 1.5)))
hz, d = 100.0, float(dur)  # /proc/PID/stat counts CPU time in 1/100 s
sc, gc = num("lb_spurd_cpu"), num("lb_nginx_cpu")
us_s = sc / hz / (l * d) * 1e6 if sc and l else None
us_g = gc / hz / (g * d) * 1e6 if gc and g else None
rows.append(("leaderboard GET, server CPU per request",
             fmt(us_s, "{:.1f}", " us") + (f" ({sc / hz / d * 100:.0f}% of a core)" if sc else ""),
             "nginx " + fmt(us_g, "{:.1f}", " us") + (f" ({gc / hz / d * 100:.0f}% of a core)" if gc else ""),
             fmt(us_g / us_s if us_s and us_g else None, "{:.2f}x"), "-", "-"))
q50, q99, qmax = num("push_p50_ms"), num("push_p99_ms"), num("push_max_ms")
rows.append((f"answer -> push at {n(streams)} streams, p50/p99/max",
             f"{fmt(q50)} / {fmt(q99)} / {fmt(qmax)} ms", "-", "-", "p99 < 100 ms",
             verdict(None if q99 is None else q99 < 100)))
head = ("figure", "spurd", "reference (same run)", "ratio", "goal", "")
w = [max(len(str(x[i])) for x in rows + [head]) for i in range(6)]
print()
print(f"scale results (SCALE={scale}{', goals are for the full size' if scale != 'full' else ''}; "
      f"wrk {dur} s per run, 2 threads; leaderboard with {lconns} connections):")
for x in [head] + rows:
    print("  ".join(str(c).ljust(w[i]) if i < 5 else str(c) for i, c in enumerate(x)).rstrip())
notes = []
notes.append(f"databases built through the store code in {fmt(num('build_small'), '{:.1f}')} s "
             f"and {fmt(num('build_big'), '{:.1f}')} s")
notes.append(f"durable answers: {fmt(num('ans_rows'))} rows stored, non-2xx {kv.get('ans_non2xx', '?')}, "
             f"socket errors {kv.get('ans_sockerr', '?')}, over {n(kv.get('ans_teams', 0))} teams")
notes.append(f"durable answers: {kv.get('ans_commits', '?')}")
notes.append(f"ceiling: nginx answered the same {aconns} connections p99 "
             f"{fmt(num('ceil_p99'), '{:.1f}')} ms; above {fmt((num('ceil_rps') or 0) / (num('ref_rows') or 1), '{:.2f}')}x "
             f"raw SQLite no server on this machine answers these requests over loopback")
notes.append(f"leaderboard p99: spurd {fmt(num('lb_spurd_p99'), '{:.2f}')} ms, "
             f"nginx {fmt(num('lb_nginx_p99'), '{:.2f}')} ms")
if num("push_connected") is not None:
    notes.append(f"pushes: {fmt(num('push_connected'))} streams open, "
                 f"{fmt(num('push_missed'))} of {fmt(num('push_pairs'))} (answer, stream) pairs "
                 f"without an event, {fmt(num('push_early'))} events between an answer and its 200, "
                 f"{fmt(num('push_dropped'))} streams dropped; one push reaches "
                 f"the first to the last stream in {fmt(num('push_spread_p50_ms'))} ms (p50), "
                 f"{fmt(num('push_spread_max_ms'))} ms (max); spurd RSS with the streams "
                 f"{fmt((num('push_rss_kib') or 0) / 1024)} MiB, CPU {fmt(num('push_cpu_s_changes'), '{:.2f}')} s "
                 f"over the {changes} answers")
else:
    notes.append("pushes: not measured (see fanout.py's message above)")
for x in notes:
    print("  " + x)
PY
