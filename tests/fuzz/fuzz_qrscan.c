/* libFuzzer target for reading camera frames: spur_qrscan_jpeg (libjpeg + libzbar)
 * on arbitrary bytes. Whatever comes in, it returns -1, 0 or 1, and a found code is
 * a NUL-terminated string inside the output buffer. The seeds are real frames: a
 * poster page at 41 dpi and crops of it (tests/fuzz/corpus/qrscan). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/qrscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[128];
    int r = spur_qrscan_jpeg(data, size, out, sizeof(out));
    assert(r >= -1 && r <= 1);
    if (r == 1)
        assert(memchr(out, '\0', sizeof(out)) != NULL);
    return 0;
}
