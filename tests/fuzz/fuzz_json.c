/* libFuzzer target for the strict JSON layer: spur_json_parse on arbitrary bytes
 * (error offsets stay inside the input), and spur_json_locate both on a path taken
 * from the input and on the path of every value in a parsed tree, which must land
 * on the first byte of that value. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *text;
    size_t len;
    int checked;
} ctx_t;

/* The byte offset of 1-based line:col (col in characters). */
static size_t offset_of(const char *text, size_t len, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (int c = 1; c < col && i < len; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80) {
            c++;
            while (i + 1 < len && ((unsigned char)text[i + 1] & 0xc0) == 0x80)
                i++;
        }
    return i;
}

static void check_path(ctx_t *c, const char *path, const cJSON *v)
{
    int line = 0, col = 0;
    assert(spur_json_locate(c->text, c->len, path, &line, &col) == 0);
    size_t off = offset_of(c->text, c->len, line, col);
    assert(off < c->len);
    char b = c->text[off];
    if (cJSON_IsObject(v))
        assert(b == '{');
    else if (cJSON_IsArray(v))
        assert(b == '[');
    else if (cJSON_IsString(v))
        assert(b == '"');
    else if (cJSON_IsNumber(v))
        assert(b == '-' || (b >= '0' && b <= '9'));
    else if (cJSON_IsBool(v))
        assert(b == 't' || b == 'f');
    else
        assert(b == 'n');
    c->checked++;
}

static void walk(ctx_t *c, const cJSON *v, spur_buf_t *path)
{
    if (c->checked > 200)
        return;
    check_path(c, path->data ? path->data : "", v);
    size_t keep = path->len, i = 0;
    for (const cJSON *ch = v->child; ch; ch = ch->next, i++) {
        if (cJSON_IsArray(v)) {
            spur_buf_printf(path, "[%zu]", i);
        } else {
            spur_buf_puts(path, "[");
            spur_buf_json_str(path, ch->string);
            spur_buf_puts(path, "]");
        }
        walk(c, ch, path);
        path->len = keep;
        path->data[keep] = '\0';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    size_t off = (size_t)-1, plen = 0;

    /* Exact-size copy so any read past len is caught. */
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    cJSON *root = spur_json_parse(text, size, err, sizeof(err), &off);
    if (!root)
        assert(off <= size && err[0]);

    /* A path from the tail: the last byte says how many bytes before it form it. */
    if (size > 1) {
        plen = data[size - 1] % 48;
        if (plen > size - 1)
            plen = size - 1;
        char *path = spur_strndup((const char *)data + size - 1 - plen, plen);
        int line, col;
        spur_json_locate(text, size, path, &line, &col);
        free(path);
    }
    if (root) {
        ctx_t c = {text, size, 0};
        spur_buf_t path = {0};
        walk(&c, root, &path);
        spur_buf_free(&path);
        cJSON_Delete(root);
    }
    free(text);
    return 0;
}
