#!/bin/sh
# make bench: load on loopback with wrk, against spurd and, in the same run, the
# references: nginx serving the very same leaderboard bytes as a static file, and
# SQLite doing one durable (WAL, synchronous=FULL) insert per transaction.
# Prints requests/s, p99 latency and the ratios. Then events.py: the live leaderboard's
# fan-out to EVENT_CLIENTS (default 2000) Server-Sent Events streams, phones (?limit=0)
# and staff screens (100 rows), while answers come in. Machines here are shared and
# noisy: compare ratios, not absolute numbers. DURATION (seconds) and CONNS tune the run.
# Then growth.py: memory and database growth from 20,000 repeats of one wrong answer
# and 5,000 of one partial answer, each with a fresh client_id. photos.py: photo uploads
# against libvips alone doing the same work. editor.py: the web editor's save and
# check against `spur import` + SIGHUP and `spur check`. Last, scale.sh: the same
# kinds of figures at city size (100,000 teams, 1,000,000 solves, 1,000 answering
# connections, 10,000 event streams; SCALE=small for a quick run), and start-up time.
set -eu
BUILD=${SPUR_BUILD:-build}
DURATION=${DURATION:-8}
CONNS=${CONNS:-64}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/spur-bench.XXXXXX)
. "$ROOT/tests/bench/lib.sh" # cleanup, free_port, nginx_same_bytes
trap cleanup EXIT INT TERM


# wrk's summary -> "rps p99"
wrk_run() { # url [script]
    if [ $# -ge 2 ]; then
        wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$2" "$1" > "$WORK/wrk.out" 2>&1
    else
        wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$1" > "$WORK/wrk.out" 2>&1
    fi
    rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.out")
    p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.out")
    echo "${rps:-0} ${p99:-?} ${non2xx:-0}"
}

python3 - "$WORK/hunt.json" <<'PY'
import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: (now + datetime.timedelta(seconds=d)).strftime("%Y-%m-%dT%H:%M:%SZ")
hunt = {"id": "bench", "title": "Bench", "starts_at": iso(-60), "ends_at": iso(86400),
        "places": [{"id": "p", "name": "Platz", "lat": 49.0, "lon": 7.0}],
        "puzzles": [{"id": "s", "title": "S", "kind": "scan", "place": "p", "clue": "scan", "points": 1},
                    {"id": "q", "title": "Q", "clue": "?", "points": 5,
                     "answer": {"accept": ["ziel"], "partial": {"weiter": "Weiter so!"}}},
                    {"id": "n", "title": "N", "clue": "?", "points": 3, "answer": {"number": 7}}],
        "guess_limit": 64, "guess_window": 1}
json.dump(hunt, open(sys.argv[1], "w"))
PY
"$BUILD/spur" import "$WORK/hunt.json" --db "$WORK/bench.db" >/dev/null
PORT=$(free_port)
# the per-address cap (default 1024) would refuse events.py's clients, all on 127.0.0.1
SPUR_ADMIN_TOKEN=bench SPUR_LOG=warn SPUR_TEAMS_PER_MINUTE=100000 SPUR_HTTP_MAX_CONNS_PER_ADDR=10000 \
    "$BUILD/spurd" --db "$WORK/bench.db" --listen "127.0.0.1:$PORT" --assets "$ROOT/assets" > "$WORK/spurd.log" 2>&1 &
SPURD_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/api/hunts/bench"

# 1000 teams, a third of them with a solve, so the leaderboard has real content (and
# the durable-answer run below spreads over enough teams to stay under the guess limit).
# answers.json: correct answers not given yet, each a leaderboard change for events.py.
python3 - "$BASE" "$WORK/tokens.lua" "$WORK/answers.json" <<'PY'
import json, sys, urllib.request
base, out, pool = sys.argv[1], sys.argv[2], sys.argv[3]
def post(path, body, tok=None):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": "Bearer " + tok} if tok else {})})
    return json.load(urllib.request.urlopen(req))
toks = []
for i in range(1000):
    t = post("/teams", {"name": f"Team {i:04d}"})["token"]
    toks.append(t)
    if i % 3 == 0:
        post("/puzzles/n/answer", {"answer": "7"}, t)
with open(out, "w") as f:
    f.write("tokens = {" + ",".join(json.dumps(t) for t in toks) + "}\n")
answers = [[t, "q", "ziel"] for t in toks] + [[t, "n", "7"] for i, t in enumerate(toks) if i % 3]
with open(pool, "w") as f:
    json.dump({"answers": answers, "fresh": ["q", "ziel"]}, f)
PY

# nginx serves the same bytes from a file
nginx_same_bytes "$BASE/leaderboard"
BYTES=$(wc -c < "$WORK/www/api/hunts/bench/leaderboard")

echo "spur bench: ${DURATION}s per run, $CONNS connections, 2 wrk threads, leaderboard $BYTES bytes"
set -- $(wrk_run "$BASE/leaderboard"); S_RPS=$1; S_P99=$2
set -- $(wrk_run "$NGINX_URL"); N_RPS=$1; N_P99=$2
printf "%-44s %12s req/s   p99 %s\n" "GET leaderboard, spurd" "$S_RPS" "$S_P99"
printf "%-44s %12s req/s   p99 %s\n" "GET same bytes, nginx (1 worker)" "$N_RPS" "$N_P99"
printf "%-44s %12s\n" "ratio spurd/nginx" "$(python3 -c "print(f'{$S_RPS/max($N_RPS,1):.2f}x')")"

# durable answers: each a different wrong answer, so each is judged, stored (event row,
# group commit) and counted (a repeated one would be answered without a write). The
# hunt allows 64 a second per team; requests rotate over the 1000 teams.
cat > "$WORK/answer.lua" <<'LUA'
dofile(os.getenv("TOKENS"))
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
local n = 0
request = function()
    n = n + 1
    local tok = tokens[(n % #tokens) + 1]
    return wrk.format("POST", "/api/hunts/bench/puzzles/q/answer",
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tok},
        '{"answer":"falsch ' .. tid .. ' ' .. n .. '"}')
end
LUA
set -- $(TOKENS="$WORK/tokens.lua" wrk_run "$BASE/puzzles/q/answer" "$WORK/answer.lua"); A_RPS=$1; A_P99=$2; A_BAD=$3
EVENTS=$(sqlite3 "$WORK/bench.db" "select count(*) from events where input like 'falsch %'" 2>/dev/null || echo "?")
printf "%-44s %12s req/s   p99 %s   (non-2xx: %s, rows stored: %s)\n" \
    "POST answer (durable, group commit), spurd" "$A_RPS" "$A_P99" "$A_BAD" "$EVENTS"

# reference: one durable insert per transaction, same pragmas
R_RPS=$(python3 - "$WORK/ref.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, team_id, kind, puzzle_id, input, result, at_ms)")
n, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < 3:
    db.execute("BEGIN"); db.execute("INSERT INTO events(team_id,kind,puzzle_id,input,result,at_ms) VALUES (1,'answer','q','weiter','{}',0)"); db.execute("COMMIT")
    n += 1
print(f"{n / (time.perf_counter() - t0):.0f}")
PY
)
printf "%-44s %12s req/s\n" "SQLite alone, 1 durable insert per commit" "$R_RPS"
printf "%-44s %12s\n" "ratio spurd answers/SQLite single inserts" "$(python3 -c "print(f'{$A_RPS/max($R_RPS,1):.2f}x')")"

# live leaderboard fan-out over Server-Sent Events (same spurd, same 1000 teams)
python3 "$ROOT/tests/bench/events.py" --url "http://127.0.0.1:$PORT" --hunt bench \
    --pid "$SPURD_PID" --answers "$WORK/answers.json" --duration "$DURATION"

# what a script repeating one answer costs (memory and disk), on a spurd of its own
python3 "$ROOT/tests/bench/growth.py" --build "$BUILD"

# photo-mission uploads against the same libvips pipeline without a server
python3 "$ROOT/tests/bench/photos.py" --build "$BUILD"

# the web editor's save and check against spur import + SIGHUP and spur check
python3 "$ROOT/tests/bench/editor.py" --build "$BUILD"

# city scale, with its own databases, spurd and nginx: this run's are done
kill "$SPURD_PID" "$NGINX_PID" 2>/dev/null || true
wait 2>/dev/null || true
SPURD_PID=""
NGINX_PID=""
SPUR_BUILD="$BUILD" sh "$ROOT/tests/bench/scale.sh"
