#!/bin/sh
# Builds every tests/fuzz/fuzz_*.c as a libFuzzer binary (clang, ASan + UBSan)
# into build-fuzz/ and runs each for SECONDS (default 60) on a temporary copy of
# its seed corpus tests/fuzz/corpus/<name without fuzz_>/, so runs never write
# into the repository. Findings (crash-*, leak-*, timeout-*) land in build-fuzz/.
#
# All targets link against one archive of server/core, server/game, server/http
# and the llhttp sources, so each pulls in only the objects it uses. Warnings are
# the main build's job (-Werror there); here they are off.
#
#   sh tests/fuzz/run.sh [SECONDS]
set -eu

SECONDS_EACH=${1:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/build-fuzz"
CC=${FUZZ_CC:-clang}
PKGS="libuv libcjson libqrencode cairo fontconfig libsodium libutf8proc sqlite3 libpng zlib zbar libjpeg libcmark"
LLHTTP_DIR=/usr/share/llhttp
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 $SAN -I$ROOT/server -I/usr/share/include/llhttp $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lm -lpthread"

cd "$ROOT"
mkdir -p "$OUT/obj"
rm -f "$OUT/obj/"*.o "$OUT/libspur-fuzz.a"

# Library objects: instrumented for coverage, without libFuzzer's main.
for src in server/core/*.c server/game/*.c server/http/*.c server/office/tz.c server/office/changes.c "$LLHTTP_DIR"/*.c; do
    [ -f "$src" ] || continue
    obj="$OUT/obj/$(echo "$src" | tr '/' '_' | sed 's/^_//; s/\.c$/.o/')"
    echo "  CC      $src"
    # A source that does not compile (someone's work in progress) is skipped with a
    # warning; a target that needs it then fails to link, loudly.
    if ! $CC $CFLAGS -w -fsanitize=fuzzer-no-link -c -o "$obj" "$src"; then
        echo "  WARN    $src did not compile; left out of the archive" >&2
    fi
done
ar rcs "$OUT/libspur-fuzz.a" "$OUT"/obj/*.o

status=0
for target in tests/fuzz/fuzz_*.c; do
    [ -f "$target" ] || continue
    name=$(basename "$target" .c)
    corpus_name=${name#fuzz_}
    echo "  FUZZ    $name (${SECONDS_EACH}s)"
    $CC $CFLAGS -Wall -Wextra -fsanitize=fuzzer -o "$OUT/$name" "$target" \
        "$OUT/libspur-fuzz.a" $LIBS
    work=$(mktemp -d)
    if [ -d "tests/fuzz/corpus/$corpus_name" ]; then
        cp -R "tests/fuzz/corpus/$corpus_name/." "$work/"
    fi
    if [ "$corpus_name" = tz ]; then # real TZif files from tzdata, versions 1 to 3
        for z in Europe/Berlin America/New_York Australia/Lord_Howe Asia/Kolkata UTC; do
            [ -f "/usr/share/zoneinfo/$z" ] && cp "/usr/share/zoneinfo/$z" "$work/$(echo "$z" | tr / _)"
        done
    fi
    if ! (cd "$OUT" && "./$name" -max_total_time="$SECONDS_EACH" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 "$work" >"$OUT/$name.log" 2>&1); then
        echo "  FAIL    $name: see $OUT/$name.log and $OUT/crash-*" >&2
        tail -n 40 "$OUT/$name.log" >&2
        status=1
    else
        grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units' "$OUT/$name.log" | tail -n 1
    fi
    rm -rf "$work"
done
exit $status
