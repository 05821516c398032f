/* libFuzzer target for the HTTP request path: bytes go through the same parser and
 * checks spurd runs on a connection (server/http/parse.c: llhttp plus the pre-scan,
 * limits and target decoding), without sockets. The input is fed in pieces whose sizes
 * come from the first byte, so state kept across reads is exercised too. Every complete
 * request is checked for the layer's promises (NUL-terminated strings, decoded path
 * starting with '/', body within the limit) and freed; an error ends the input, as it
 * ends a connection. Build: see tests/fuzz/run.sh. With -DSPUR_FUZZ_MAIN it is a
 * small driver printing what a file parses to. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

static size_t body_limit(int method, const char *path, void *data)
{
    (void)data;
    return method == HTTP_POST && strncmp(path, "/api/", 5) == 0 ? 4096 : 0;
}

static void check_request(const spur_http_req_t *r, const spur_http_config_t *cfg)
{
    assert(r->target && r->path && r->query && r->body && r->method_name);
    assert(r->path[0] == '/');
    assert(strlen(r->target) <= cfg->max_request_line);
    assert(r->nheaders <= cfg->max_headers);
    assert(r->body_len <= cfg->max_body && r->body[r->body_len] == '\0');
    for (size_t i = 0; i < r->nheaders; i++)
        assert(r->headers[i].name[0] != '\0' && r->headers[i].value != NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    spur_http_config_t cfg;
    spur_http_parser_t p;
    size_t step, pos = 0;

    if (size < 1)
        return 0;
    step = (size_t)data[0] % 64 + 1; /* piece size: 1..64 bytes, or all at once for 64 */
    data++;
    size--;
    if (step == 64)
        step = size ? size : 1;
    spur_http_config_defaults(&cfg);
    cfg.max_request_line = 512; /* small limits reach the limit paths quickly */
    cfg.max_header_bytes = 1024;
    cfg.max_headers = 8;
    cfg.body_limit = body_limit;
    spur_http_parser_init(&p, &cfg, NULL);
    while (pos < size) {
        size_t len = size - pos < step ? size - pos : step, off = 0;
        int r = SPUR_HTTP_PARSE_REQ;
        while (off < len && r == SPUR_HTTP_PARSE_REQ) {
            size_t used = 0;
            r = spur_http_parser_feed(&p, (const char *)data + pos + off, len - off, &used);
            assert(used <= len - off);
            off += used;
            if (r == SPUR_HTTP_PARSE_REQ) {
                spur_http_ireq_t *ir = spur_http_parser_take(&p);
                assert(ir);
                check_request(&ir->pub, &cfg);
#ifdef SPUR_FUZZ_MAIN
                printf("REQ %s %s path=%s query=%s headers=%zu body=%zu keep=%d\n",
                       ir->pub.method_name, ir->pub.target, ir->pub.path, ir->pub.query,
                       ir->pub.nheaders, ir->pub.body_len, ir->keep_alive);
#endif
                spur_http_ireq_free(ir);
            }
        }
        if (r == SPUR_HTTP_PARSE_ERR) {
            assert(p.err_status >= 400 && p.err_status < 500 && p.err_name && p.err_msg);
#ifdef SPUR_FUZZ_MAIN
            printf("ERR %d %s: %s\n", p.err_status, p.err_name, p.err_msg);
#endif
            break;
        }
        pos += len;
    }
    spur_http_parser_free(&p);
    return 0;
}

#ifdef SPUR_FUZZ_MAIN
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        static unsigned char buf[1 << 20];
        size_t n;
        if (!f)
            return 1;
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        printf("== %s\n", argv[i]);
        LLVMFuzzerTestOneInput(buf, n);
    }
    return 0;
}
#endif
