/* The socket-free HTTP/1.1 request parser: llhttp 8.1 plus the checks llhttp 8.1
 * (built in its default, non-strict mode) leaves to us.
 *
 * Bytes go in with spur_http_parser_feed; out come complete requests (one at a time:
 * llhttp is paused at each message end, so the caller decides whether to parse ahead)
 * or exactly one error with its status. Every span llhttp hands out is checked against
 * its limit and then copied before the call returns, so memory per request is bounded
 * by the config. Refused here: versions other than HTTP/1.0 and 1.1, request lines with
 * extra spaces or control bytes, obs-folded header lines, a CR not followed by LF in the
 * header block, control bytes in header lines, empty or non-token header names, a
 * Transfer-Encoding that is not exactly "chunked", Transfer-Encoding together with
 * Content-Length, malformed chunk framing (llhttp 8.1 skips the two bytes after chunk
 * data unchecked), trailer fields, CONNECT and the HTTP/2 preface, and targets whose
 * path is not origin-form or decodes to NUL or invalid %xx.
 *
 * The header block is pre-scanned byte by byte, and a chunked body framed, with state
 * kept across reads; llhttp is handed bytes only up to the end of what was scanned
 * (the blank line ending the headers, the last chunk), so the scans and llhttp always
 * agree on where a message ends. */
#include "http/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uv.h>

#include "core/log.h"

/* Pre-scan states over the raw header block. */
enum { SC_START, SC_LINE, SC_LINE_CR, SC_BOL, SC_FIELD, SC_FIELD_CR, SC_END_CR, SC_DONE };
/* Chunked-body framing states (llhttp 8.1 does not check the CRLF after chunk data). */
enum {
    CK_SIZE_START,
    CK_SIZE,
    CK_EXT,
    CK_SIZE_LF,
    CK_DATA,
    CK_DATA_CR,
    CK_DATA_LF,
    CK_TRAILER,
    CK_END_LF,
    CK_DONE
};

static llhttp_settings_t settings; /* filled once; llhttp only reads it */
static int settings_ready;

static int fail(spur_http_parser_t *p, int status, const char *name, const char *msg)
{
    if (!p->err_status) {
        p->err_status = status;
        p->err_name = name;
        p->err_msg = msg;
    }
    return -1;
}

static int bad(spur_http_parser_t *p, const char *msg)
{
    return fail(p, 400, "bad_request", msg);
}

/* Gives back the current message's share of the big-body budget, and the memory of a
 * big body (kept capacity would hold it for the connection's life). */
static void big_release(spur_http_parser_t *p)
{
    if (p->big_used && p->big_reserved) {
        *p->big_used -= p->big_reserved;
        p->big_reserved = 0;
    }
    if (p->body.cap > p->cfg->max_body)
        spur_buf_free(&p->body);
}

static void reset_message(spur_http_parser_t *p)
{
    p->target.len = 0;
    p->hdrs.len = 0;
    p->body.len = 0;
    p->nheaders = 0;
    p->line_bytes = 0;
    p->header_bytes = 0;
    p->in_value = 0;
    p->value_open = 0;
    p->chunked = 0;
    p->ck = CK_SIZE_START;
    p->ck_size = 0;
    p->expect_continue = 0;
}

static int on_message_begin(llhttp_t *llp)
{
    spur_http_parser_t *p = llp->data;
    reset_message(p);
    p->phase = SPUR_HTTP_PH_HEADERS;
    p->start_ns = uv_hrtime();
    return 0;
}

static int count_line(spur_http_parser_t *p, size_t len)
{
    p->line_bytes += len;
    if (p->line_bytes > p->cfg->max_request_line)
        return fail(p, 414, "uri_too_long",
                    "Die Anfragezeile ist zu lang. / The request line is too long.");
    return 0;
}

static int on_method(llhttp_t *llp, const char *at, size_t len)
{
    (void)at;
    return count_line(llp->data, len) ? HPE_USER : 0;
}

static int on_url(llhttp_t *llp, const char *at, size_t len)
{
    spur_http_parser_t *p = llp->data;
    if (count_line(p, len))
        return HPE_USER;
    spur_buf_append(&p->target, at, len);
    return 0;
}

static int on_version(llhttp_t *llp, const char *at, size_t len)
{
    (void)at;
    return count_line(llp->data, len) ? HPE_USER : 0;
}

static int check_version(llhttp_t *llp)
{
    if (llp->http_major != 1 || llp->http_minor > 1)
        return bad(llp->data, "Nur HTTP/1.0 und HTTP/1.1 werden unterstützt. / Only HTTP/1.0 and "
                              "HTTP/1.1 are supported.");
    return 0;
}

static int on_version_complete(llhttp_t *llp)
{
    return check_version(llp);
}

static int count_header(spur_http_parser_t *p, size_t len)
{
    p->header_bytes += len;
    if (p->header_bytes > p->cfg->max_header_bytes)
        return fail(
            p, 431, "headers_too_large",
            "Die Kopfzeilen der Anfrage sind zu groß. / The request headers are too large.");
    return 0;
}

static int on_header_field(llhttp_t *llp, const char *at, size_t len)
{
    spur_http_parser_t *p = llp->data;
    if (p->phase == SPUR_HTTP_PH_BODY)
        return bad(p, "Trailer-Felder werden nicht angenommen. / Trailer fields are not accepted."),
               HPE_USER;
    if (count_header(p, len))
        return HPE_USER;
    if (p->nheaders == 0 || p->in_value) {
        /* a new header starts */
        if (p->value_open)
            spur_buf_append(&p->hdrs, "", 1);
        p->value_open = 0;
        if (p->nheaders >= p->cfg->max_headers) {
            fail(p, 431, "headers_too_large", "Zu viele Kopfzeilen. / Too many request headers.");
            return HPE_USER;
        }
        p->offs[2 * p->nheaders] = p->hdrs.len;
        p->offs[2 * p->nheaders + 1] = (size_t)-1;
        p->nheaders++;
        p->in_value = 0;
    }
    spur_buf_append(&p->hdrs, at, len);
    return 0;
}

/* RFC 9110 token characters. */
static int is_tchar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int on_header_field_complete(llhttp_t *llp)
{
    spur_http_parser_t *p = llp->data;
    if (p->phase == SPUR_HTTP_PH_BODY)
        return bad(p, "Trailer-Felder werden nicht angenommen. / Trailer fields are not accepted.");
    if (p->nheaders == 0 || p->offs[2 * (p->nheaders - 1)] == p->hdrs.len)
        return bad(p, "Ein Kopfzeilenname ist leer. / A header name is empty.");
    for (size_t i = p->offs[2 * (p->nheaders - 1)]; i < p->hdrs.len; i++)
        if (!is_tchar(p->hdrs.data[i]))
            return bad(
                p, "Ein Kopfzeilenname ist kein gültiges Token. / A header name is not a token.");
    spur_buf_append(&p->hdrs, "", 1);
    p->offs[2 * (p->nheaders - 1) + 1] = p->hdrs.len;
    p->in_value = 1;
    p->value_open = 1;
    return 0;
}

static int on_header_value(llhttp_t *llp, const char *at, size_t len)
{
    spur_http_parser_t *p = llp->data;
    if (p->phase == SPUR_HTTP_PH_BODY)
        return bad(p, "Trailer-Felder werden nicht angenommen. / Trailer fields are not accepted."),
               HPE_USER;
    if (count_header(p, len))
        return HPE_USER;
    if (!p->in_value)
        return bad(p, "Ein Kopfzeilenwert hat keinen Namen. / A header value has no name."),
               HPE_USER;
    spur_buf_append(&p->hdrs, at, len);
    return 0;
}

static int on_header_value_complete(llhttp_t *llp)
{
    spur_http_parser_t *p = llp->data;
    if (p->phase == SPUR_HTTP_PH_BODY)
        return bad(p, "Trailer-Felder werden nicht angenommen. / Trailer fields are not accepted.");
    if (!p->in_value || p->nheaders == 0)
        return bad(p, "Eine Kopfzeile ist fehlerhaft. / A header is malformed.");
    /* trim the value in place: llhttp keeps trailing whitespace */
    size_t start = p->offs[2 * (p->nheaders - 1) + 1];
    size_t end = p->hdrs.len;
    while (start < end && (p->hdrs.data[start] == ' ' || p->hdrs.data[start] == '\t'))
        start++;
    while (end > start && (p->hdrs.data[end - 1] == ' ' || p->hdrs.data[end - 1] == '\t'))
        end--;
    if (start != p->offs[2 * (p->nheaders - 1) + 1]) {
        memmove(p->hdrs.data + p->offs[2 * (p->nheaders - 1) + 1], p->hdrs.data + start,
                end - start);
        end -= start - p->offs[2 * (p->nheaders - 1) + 1];
    }
    p->hdrs.len = end;
    spur_buf_append(&p->hdrs, "", 1);
    p->value_open = 0;
    return 0;
}

/* Fills the new request's headers from hdrs; checks framing headers. */
static int build_request(spur_http_parser_t *p)
{
    spur_http_ireq_t *ir = spur_http_ireq_new();
    spur_http_req_t *r = &ir->pub;
    size_t i, n_te = 0, n_cl = 0;
    const char *te = NULL;

    p->done = ir;
    if (p->value_open) /* llhttp skipped the _complete of an empty last value */
        spur_buf_append(&p->hdrs, "", 1);
    p->value_open = 0;
    /* a header whose value span never came (e.g. "X:\r\n") has value offset -1 only if
     * its field never completed; llhttp always completes both, so offsets are set */
    ir->hdrblob = spur_malloc(p->hdrs.len + 1);
    if (p->hdrs.len)
        memcpy(ir->hdrblob, p->hdrs.data, p->hdrs.len);
    ir->hdrblob[p->hdrs.len] = '\0';
    r->headers = spur_calloc(p->nheaders ? p->nheaders : 1, sizeof(*r->headers));
    for (i = 0; i < p->nheaders; i++) {
        size_t vo = p->offs[2 * i + 1];
        if (vo == (size_t)-1 || vo > p->hdrs.len)
            return bad(p, "Eine Kopfzeile ist fehlerhaft. / A header is malformed.");
        r->headers[i].name = ir->hdrblob + p->offs[2 * i];
        r->headers[i].value = ir->hdrblob + vo;
    }
    r->nheaders = p->nheaders;
    for (i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, "transfer-encoding") == 0) {
            n_te++;
            te = r->headers[i].value;
        } else if (strcasecmp(r->headers[i].name, "content-length") == 0) {
            n_cl++;
        }
    }
    if (n_te > 1 || (n_te == 1 && strcasecmp(te, "chunked") != 0))
        return bad(p, "Nur Transfer-Encoding: chunked wird unterstützt. / Only Transfer-Encoding: "
                      "chunked is supported.");
    if (n_te && n_cl)
        return bad(p, "Transfer-Encoding und Content-Length zusammen werden nicht angenommen. / "
                      "Transfer-Encoding and Content-Length together are not accepted.");

    r->method = p->llp.method;
    r->method_name = llhttp_method_name((llhttp_method_t)p->llp.method);
    r->is_head = r->method == HTTP_HEAD;
    if (r->method == HTTP_CONNECT)
        return bad(p, "CONNECT wird nicht unterstützt. / CONNECT is not supported.");
    r->target = spur_strndup(p->target.data ? p->target.data : "", p->target.len);
    if (strlen(r->target) != p->target.len)
        return bad(p, "Das Ziel der Anfrage enthält NUL. / The request target contains NUL.");
    r->path = spur_malloc(p->target.len + 1);
    r->path[0] = '\0';
    if (spur_http_split_target(r->target, r->path, &r->query) != 0)
        return bad(p, "Das Ziel der Anfrage ist kein gültiger Pfad. / The request target is not a "
                      "valid path.");
    r->start_ns = p->start_ns;
    return 0;
}

static int on_headers_complete(llhttp_t *llp)
{
    spur_http_parser_t *p = llp->data;
    spur_http_req_t *r;

    p->headers_ns = uv_hrtime();
    if (check_version(llp) || build_request(p))
        return -1;
    r = &p->done->pub;
    {
        /* RFC 9112 3.2: an HTTP/1.1 request carries exactly one Host header. */
        size_t hosts = 0;
        for (size_t i = 0; i < r->nheaders; i++)
            hosts += strcasecmp(r->headers[i].name, "host") == 0;
        if (hosts > 1 || (hosts == 0 && llp->http_minor == 1))
            return bad(p, "Eine HTTP/1.1-Anfrage braucht genau eine Host-Kopfzeile. / An HTTP/1.1 "
                          "request needs exactly one Host header.");
    }
    p->phase = SPUR_HTTP_PH_BODY;
    p->body_limit = p->cfg->body_limit ? p->cfg->body_limit(r->method, r->path, p->cfg->data)
                                       : p->cfg->max_body;
    if ((llp->flags & F_CONTENT_LENGTH) && llp->content_length > p->body_limit)
        return fail(p, 413, "too_large",
                    "Der Inhalt der Anfrage ist zu groß. / The request body is too large.");
    if (p->body_limit > p->cfg->max_body && p->big_used) {
        /* A route that takes big bodies (photos): each is counted against the server's
           budget from its Content-Length before a byte of it is read. */
        if (!(llp->flags & F_CONTENT_LENGTH))
            p->body_limit = p->cfg->max_body; /* chunked: only a small one */
        else if (llp->content_length > p->cfg->max_body) {
            if (*p->big_used + llp->content_length > p->cfg->big_body_budget)
                return fail(p, 503, "overloaded",
                            "Gerade kommen zu viele große Uploads an; bitte gleich noch einmal. "
                            "/ Too many large uploads are arriving; try again shortly.");
            p->big_reserved = (size_t)llp->content_length;
            *p->big_used += p->big_reserved;
        }
    }
    p->chunked = (llp->flags & F_CHUNKED) ? 1 : 0;
    p->ck = CK_SIZE_START;
    const char *expect = spur_http_header(r, "expect");
    if (expect && strcasecmp(expect, "100-continue") == 0 &&
        (p->chunked || ((llp->flags & F_CONTENT_LENGTH) && llp->content_length > 0)))
        p->expect_continue = 1;
    return 0;
}

static int on_body(llhttp_t *llp, const char *at, size_t len)
{
    spur_http_parser_t *p = llp->data;
    if (len > p->body_limit || p->body.len > p->body_limit - len)
        return fail(p, 413, "too_large",
                    "Der Inhalt der Anfrage ist zu groß. / The request body is too large."),
               HPE_USER;
    spur_buf_append(&p->body, at, len);
    return 0;
}

static int on_message_complete(llhttp_t *llp)
{
    spur_http_parser_t *p = llp->data;
    spur_http_ireq_t *ir = p->done;

    if (!ir)
        return bad(p, "Die Anfrage ist unvollständig. / The request is incomplete.");
    ir->pub.body = spur_malloc(p->body.len + 1);
    if (p->body.len)
        memcpy(ir->pub.body, p->body.data, p->body.len);
    ir->pub.body[p->body.len] = '\0';
    ir->pub.body_len = p->body.len;
    big_release(p);
    ir->keep_alive = llhttp_should_keep_alive(llp) ? 1 : 0;
    if (llp->upgrade) {
        /* Upgrade is not supported: answer normally, then close */
        ir->close_after = 1;
        p->upgrade = 1;
    }
    p->phase = SPUR_HTTP_PH_IDLE;
    p->scan = SC_START;
    p->expect_continue = 0;
    return HPE_PAUSED;
}

static void init_settings(void)
{
    if (settings_ready)
        return;
    llhttp_settings_init(&settings);
    settings.on_message_begin = on_message_begin;
    settings.on_method = on_method;
    settings.on_url = on_url;
    settings.on_version = on_version;
    settings.on_version_complete = on_version_complete;
    settings.on_header_field = on_header_field;
    settings.on_header_field_complete = on_header_field_complete;
    settings.on_header_value = on_header_value;
    settings.on_header_value_complete = on_header_value_complete;
    settings.on_headers_complete = on_headers_complete;
    settings.on_body = on_body;
    settings.on_message_complete = on_message_complete;
    settings_ready = 1;
}

void spur_http_parser_init(spur_http_parser_t *p, const spur_http_config_t *cfg, size_t *big_used)
{
    init_settings();
    memset(p, 0, sizeof(*p));
    p->cfg = cfg;
    p->big_used = big_used;
    p->offs = spur_calloc(2 * (cfg->max_headers + 1), sizeof(size_t));
    llhttp_init(&p->llp, HTTP_REQUEST, &settings);
    p->llp.data = p;
}

void spur_http_parser_free(spur_http_parser_t *p)
{
    big_release(p);
    spur_buf_free(&p->target);
    spur_buf_free(&p->hdrs);
    spur_buf_free(&p->body);
    free(p->offs);
    p->offs = NULL;
    if (p->done)
        spur_http_ireq_free(p->done);
    p->done = NULL;
}

spur_http_ireq_t *spur_http_parser_take(spur_http_parser_t *p)
{
    spur_http_ireq_t *ir = p->done;
    p->done = NULL;
    return ir;
}

void spur_http_parser_fail(spur_http_parser_t *p, int status, const char *name, const char *msg)
{
    fail(p, status, name, msg);
}

/* Pre-scans header-block bytes; returns how many may go to llhttp now (up to and
 * including the blank line ending the block). Sets an error on a leniency llhttp 8.1
 * would let through. */
static size_t prescan(spur_http_parser_t *p, const char *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        char c = data[i];
        switch (p->scan) {
        case SC_START: /* llhttp skips empty lines before a request */
            if (c == '\r' || c == '\n')
                break;
            p->scan = SC_LINE;
            p->line_sp = 0;
            p->prev = ' '; /* so a leading space counts as doubled */
            /* fall through */
        case SC_LINE:
            if (c == '\r') {
                p->scan = SC_LINE_CR;
            } else if (c == '\n') {
                p->scan = SC_BOL;
            } else if (c == ' ') {
                /* method SP target SP version: exactly two single spaces */
                if (p->prev == ' ' || ++p->line_sp > 2) {
                    bad(p, "Die Anfragezeile ist fehlerhaft. / The request line is malformed.");
                    return i;
                }
            } else if ((unsigned char)c < 0x21 || c == 0x7f) {
                bad(p, "Die Anfragezeile enthält Steuerzeichen. / The request line contains "
                       "control characters.");
                return i;
            }
            p->prev = c;
            break;
        case SC_LINE_CR:
        case SC_FIELD_CR:
            if (c != '\n') {
                bad(p, "Auf ein CR im Kopfzeilenblock folgt kein LF. / A CR in the header block is "
                       "not followed by LF.");
                return i;
            }
            p->scan = SC_BOL;
            break;
        case SC_BOL:
            if (c == '\r') {
                p->scan = SC_END_CR;
            } else if (c == '\n') {
                p->scan = SC_DONE;
                return i + 1;
            } else if (c == ' ' || c == '\t') {
                bad(p, "Gefaltete Kopfzeilen werden nicht angenommen. / Folded header lines are "
                       "not accepted.");
                return i;
            } else if (c == ':') {
                bad(p, "Ein Kopfzeilenname ist leer. / A header name is empty.");
                return i;
            } else {
                p->scan = SC_FIELD;
            }
            break;
        case SC_FIELD:
            if (c == '\r') {
                p->scan = SC_FIELD_CR;
            } else if (c == '\n') {
                p->scan = SC_BOL;
            } else if (((unsigned char)c < 0x20 && c != '\t') || c == 0x7f) {
                bad(p, "Eine Kopfzeile enthält Steuerzeichen. / A header contains control "
                       "characters.");
                return i;
            }
            break;
        case SC_END_CR:
            if (c != '\n') {
                bad(p, "Auf ein CR im Kopfzeilenblock folgt kein LF. / A CR in the header block is "
                       "not followed by LF.");
                return i;
            }
            p->scan = SC_DONE;
            return i + 1;
        default: /* SC_DONE: llhttp should have left the header block */
            bad(p, "Der Kopfzeilenblock ist fehlerhaft. / The header block is malformed.");
            return i;
        }
    }
    return len;
}

/* Checks chunked framing byte by byte; returns how many bytes may go to llhttp now (up
 * to the end of the message). Trailer fields are refused. */
static size_t chunkscan(spur_http_parser_t *p, const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = data[i];
        switch (p->ck) {
        case CK_SIZE_START:
        case CK_SIZE:
            if (spur_hexval((unsigned char)c) >= 0) {
                if (p->ck_size > (UINT64_MAX >> 8)) {
                    fail(p, 413, "too_large",
                         "Der Inhalt der Anfrage ist zu groß. / The request body is too large.");
                    return i;
                }
                p->ck_size = p->ck_size * 16 + (uint64_t)spur_hexval((unsigned char)c);
                p->ck = CK_SIZE;
            } else if (p->ck == CK_SIZE && (c == ';' || c == ' ' || c == '\t')) {
                p->ck = CK_EXT;
            } else if (p->ck == CK_SIZE && c == '\r') {
                p->ck = CK_SIZE_LF;
            } else {
                bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is "
                       "malformed.");
                return i;
            }
            break;
        case CK_EXT:
            if (c == '\r') {
                p->ck = CK_SIZE_LF;
            } else if (((unsigned char)c < 0x20 && c != '\t') || c == 0x7f) {
                bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is "
                       "malformed.");
                return i;
            }
            break;
        case CK_SIZE_LF:
            if (c != '\n') {
                bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is "
                       "malformed.");
                return i;
            }
            if (p->ck_size > p->body_limit || p->body.len > p->body_limit - p->ck_size) {
                fail(p, 413, "too_large",
                     "Der Inhalt der Anfrage ist zu groß. / The request body is too large.");
                return i;
            }
            p->ck = p->ck_size ? CK_DATA : CK_TRAILER;
            break;
        case CK_DATA: {
            size_t n = len - i;
            if ((uint64_t)n > p->ck_size)
                n = (size_t)p->ck_size;
            p->ck_size -= n;
            i += n;
            if (p->ck_size == 0)
                p->ck = CK_DATA_CR;
            continue;
        }
        case CK_DATA_CR:
            if (c != '\r') {
                bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is "
                       "malformed.");
                return i;
            }
            p->ck = CK_DATA_LF;
            break;
        case CK_DATA_LF:
            if (c != '\n') {
                bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is "
                       "malformed.");
                return i;
            }
            p->ck = CK_SIZE_START;
            break;
        case CK_TRAILER:
            if (c != '\r') {
                bad(p,
                    "Trailer-Felder werden nicht angenommen. / Trailer fields are not accepted.");
                return i;
            }
            p->ck = CK_END_LF;
            break;
        case CK_END_LF:
            if (c != '\n') {
                bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is "
                       "malformed.");
                return i;
            }
            p->ck = CK_DONE;
            return i + 1;
        default: /* CK_DONE: llhttp should have ended the message */
            bad(p,
                "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is malformed.");
            return i;
        }
        i++;
    }
    return len;
}

static void map_llhttp_error(spur_http_parser_t *p, llhttp_errno_t err)
{
    if (p->err_status)
        return;
    switch (err) {
    case HPE_INVALID_METHOD:
        bad(p, "Die Methode der Anfrage ist ungültig. / The request method is not valid.");
        break;
    case HPE_INVALID_URL:
        bad(p, "Das Ziel der Anfrage ist ungültig. / The request target is not valid.");
        break;
    case HPE_INVALID_VERSION:
        bad(p, "Die HTTP-Version ist ungültig. / The HTTP version is not valid.");
        break;
    case HPE_INVALID_CONTENT_LENGTH:
    case HPE_UNEXPECTED_CONTENT_LENGTH:
        bad(p,
            "Die Kopfzeile Content-Length ist ungültig. / The Content-Length header is not valid.");
        break;
    case HPE_INVALID_CHUNK_SIZE:
        bad(p, "Der Inhalt in Stücken (chunked) ist fehlerhaft. / The chunked body is malformed.");
        break;
    case HPE_INVALID_TRANSFER_ENCODING:
        bad(p, "Nur Transfer-Encoding: chunked wird unterstützt. / Only Transfer-Encoding: chunked "
               "is supported.");
        break;
    case HPE_PAUSED_H2_UPGRADE:
        bad(p, "HTTP/2 wird nicht unterstützt. / HTTP/2 is not supported.");
        break;
    default:
        bad(p, "Die Anfrage ist fehlerhaft. / The request is malformed.");
        break;
    }
}

int spur_http_parser_feed(spur_http_parser_t *p, const char *data, size_t len, size_t *used)
{
    size_t pos = 0;

    *used = 0;
    if (p->err_status)
        return SPUR_HTTP_PARSE_ERR;
    while (pos < len) {
        size_t n = len - pos;
        llhttp_errno_t err;

        if (p->phase == SPUR_HTTP_PH_BODY && p->chunked) {
            n = chunkscan(p, data + pos, n);
            if (p->err_status) {
                *used = pos;
                return SPUR_HTTP_PARSE_ERR;
            }
        } else if (p->phase != SPUR_HTTP_PH_BODY) {
            if (p->scan == SC_DONE) {
                /* the blank line went to llhttp but it did not finish the headers */
                bad(p, "Der Kopfzeilenblock ist fehlerhaft. / The header block is malformed.");
                return SPUR_HTTP_PARSE_ERR;
            }
            n = prescan(p, data + pos, n);
            if (p->err_status) {
                *used = pos;
                return SPUR_HTTP_PARSE_ERR;
            }
        }
        err = llhttp_execute(&p->llp, data + pos, n);
        if (err == HPE_OK) {
            pos += n;
            continue;
        }
        if ((err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) && !p->err_status && p->done) {
            const char *stop = llhttp_get_error_pos(&p->llp);
            pos = stop ? (size_t)(stop - data) : pos + n;
            if (err == HPE_PAUSED_UPGRADE) {
                /* Upgrade is not supported: answer normally, then close */
                p->done->close_after = 1;
                p->upgrade = 1;
                llhttp_resume_after_upgrade(&p->llp);
            } else {
                llhttp_resume(&p->llp);
            }
            *used = pos;
            return SPUR_HTTP_PARSE_REQ;
        }
        map_llhttp_error(p, err);
        *used = pos;
        return SPUR_HTTP_PARSE_ERR;
    }
    *used = len;
    return SPUR_HTTP_PARSE_MORE;
}

int spur_http_split_target(char *target, char *out, char **query)
{
    const char *s = target;
    size_t o = 0;

    *query = target + strlen(target); /* "" */
    out[0] = '\0';
    if (*s != '/')
        return -1;
    for (; *s && *s != '?' && *s != '#'; s++) {
        if (*s == '%') {
            int hi = spur_hexval((unsigned char)s[1]),
                lo = hi < 0 ? -1 : spur_hexval((unsigned char)s[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            out[o++] = (char)(hi * 16 + lo);
            s += 2;
        } else {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
    if (*s == '?')
        *query = target + (s - target) + 1;
    return 0;
}

spur_http_ireq_t *spur_http_ireq_new(void)
{
    spur_http_ireq_t *ir = spur_calloc(1, sizeof(*ir));
    return ir;
}

void spur_http_ireq_free(spur_http_ireq_t *ir)
{
    if (!ir)
        return;
    free(ir->pub.target);
    free(ir->pub.path);
    free(ir->pub.headers);
    free(ir->pub.body);
    free(ir->hdrblob);
    free(ir->resp);
    free(ir);
}
