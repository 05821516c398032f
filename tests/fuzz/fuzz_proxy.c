/* libFuzzer target for client addresses behind proxies (server/http/proxy.c). The
 * input is "<trusted ranges>\n<header value>": the ranges are parsed as --trust-proxy
 * would be, then the value is read both as X-Forwarded-For and as Forwarded from a
 * peer inside the first range. The key written must be a NUL-terminated address key
 * that fits, whatever the bytes. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *value, err[160], out[64];
    spur_http_cidr_t *cidrs = NULL;
    spur_http_config_t cfg;
    spur_http_header_t h[2];
    spur_http_req_t req;

    memcpy(text, data, size);
    text[size] = '\0';
    value = strchr(text, '\n');
    if (value)
        *value++ = '\0';
    else
        value = text + size;
    memset(&cfg, 0, sizeof(cfg));
    if (spur_http_cidrs_parse(text, &cidrs, &cfg.ntrusted, err, sizeof(err)) == 0) {
        cfg.trusted = cidrs;
        memset(&req, 0, sizeof(req));
        h[0].name = "X-Forwarded-For";
        h[1].name = "Forwarded";
        h[0].value = h[1].value = value;
        for (int which = 0; which < 2; which++) {
            req.headers = &h[which];
            req.nheaders = 1;
            spur_http_client_of(&cfg, &req, cfg.ntrusted ? "127.0.0.1" : "::1", out, sizeof(out));
            assert(memchr(out, '\0', sizeof(out)) != NULL);
        }
        spur_http_addr_key(value, out, sizeof(out));
        assert(memchr(out, '\0', sizeof(out)) != NULL);
        free(cidrs);
    } else {
        assert(strstr(err, "address range"));
    }
    free(text);
    return 0;
}
