/* libFuzzer target for the TZif reader (server/office/tz.c): spur_tz_parse on
 * arbitrary bytes must either refuse them (and leave UTC) or give a zone whose local
 * times stay within -25..+26 hours of UTC for any instant, however the transitions
 * and the POSIX-TZ footer are made. Seeded from the system's zoneinfo by run.sh. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "office/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t when[] = {INT32_MIN, -1, 0, 1782727200, 4102444800, INT64_C(1) << 40};
    spur_tz_t tz;
    char out[64];

    if (spur_tz_parse(&tz, data, size) < 0) {
        assert(tz.n == 0 && !tz.has_rule);
        return 0;
    }
    for (size_t i = 0; i < sizeof when / sizeof when[0]; i++) {
        struct tm tm;
        spur_tz_local(&tz, when[i], &tm);
        assert(tm.tm_gmtoff >= -25 * 3600 && tm.tm_gmtoff <= 26 * 3600);
        spur_tz_format(&tz, when[i], (int)(i & 1), out, sizeof out);
        assert(strlen(out) < sizeof out);
    }
    spur_tz_free(&tz);
    return 0;
}
