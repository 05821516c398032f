/* Static files served from memory: loaded once at start-up, never read from disk again.
 *
 * Keeps true: a request path is looked up in a map of the files found at load time,
 * so only those files can be served; everything else is UV_ENOENT. Dotfiles,
 * dot-directories, symbolic links and anything that is not a regular file or a
 * directory are skipped while loading, and the total is capped. */
#include "http/static.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/log.h"
#include "core/map.h"
#include "core/mem.h"

#define MAX_DEPTH 16

typedef struct sfile {
    struct sfile *next;
    char *data; /* the file's bytes, owned */
    size_t len;
    const char *ctype; /* static string */
    char etag[40];     /* "\"<32 hex>\"" */
    char *headers;     /* "ETag: ...\r\nCache-Control: ...\r\n", owned */
    /* The gzip variant for clients that accept it (a 3G phone gets a quarter of the
       bytes); NULL when compressing does not pay (images, tiny files). */
    char *gz;
    size_t gz_len;
    char gz_etag[44]; /* "\"<32 hex>-gz\"" */
    char *gz_headers;
} sfile_t;

struct spur_static {
    spur_map_t files; /* "/path" -> sfile_t */
    sfile_t *list;    /* every file, for freeing */
    size_t count;
    size_t total; /* bytes loaded */
};

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"txt", "text/plain; charset=utf-8"},
    {"woff2", "font/woff2"},
    {"map", "application/json"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot) {
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
    }
    return "application/octet-stream";
}

/* Pages, the service worker and the manifest must be revalidated so an update shows
 * at once; the rest may be cached for an hour (revalidated by ETag after). */
/* Code and pages must never mix versions after a deploy (new HTML with an hour-old
 * script), so they are revalidated every time: with the ETag that is one small 304.
 * Images change rarely and may be kept for a day. */
static const char *cache_of(const char *rel)
{
    const char *dot = strrchr(rel, '.');
    if (dot && (strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".svg") == 0 ||
                strcasecmp(dot, ".ico") == 0 || strcasecmp(dot, ".woff2") == 0))
        return "public, max-age=86400";
    return "no-cache";
}

static int read_file(const char *full, size_t size, char **out)
{
    int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    size_t got = 0;
    char *buf;

    if (fd < 0)
        return -errno;
    buf = spur_malloc(size + 1);
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? -errno : -EIO;
            free(buf);
            close(fd);
            return e;
        }
        got += (size_t)n;
    }
    close(fd);
    buf[size] = '\0';
    *out = buf;
    return 0;
}

#define CSP                                                                                        \
    "Content-Security-Policy: default-src 'self'; img-src 'self' data: https:; style-src 'self'; " \
    "script-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "              \
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'\r\n"                              \
    "X-Frame-Options: DENY\r\n"

/* Compresses text-like files once at load, when it pays. */
static void make_gzip(sfile_t *f)
{
    spur_buf_t b = {0};

    if (f->len < 256 || !(strncmp(f->ctype, "text/", 5) == 0 || strstr(f->ctype, "json") ||
                          strstr(f->ctype, "javascript") || strstr(f->ctype, "svg")))
        return;
    if (spur_http_gzip(f->data, f->len, &b) < 0) {
        spur_buf_free(&b);
        return;
    }
    f->gz = spur_buf_steal(&b, &f->gz_len);
    snprintf(f->gz_etag, sizeof(f->gz_etag), "%.*s-gz\"", (int)strlen(f->etag) - 1, f->etag);
}

static int add_file(spur_static_t *st, const char *full, const char *rel, size_t size, char *err,
                    size_t err_size)
{
    unsigned char hash[16];
    sfile_t *f;
    char *data = NULL;
    int r;

    if (size > SPUR_STATIC_MAX_TOTAL || st->total + size > SPUR_STATIC_MAX_TOTAL) {
        snprintf(err, err_size, "%s: the web app is larger than %u bytes", full,
                 SPUR_STATIC_MAX_TOTAL);
        return -1;
    }
    r = read_file(full, size, &data);
    if (r < 0) {
        snprintf(err, err_size, "%s: %s", full, strerror(-r));
        return -1;
    }
    f = spur_calloc(1, sizeof(*f));
    f->data = data;
    f->len = size;
    f->ctype = type_of(rel);
    crypto_generichash(hash, sizeof(hash), (const unsigned char *)data, size, NULL, 0);
    f->etag[0] = '"';
    sodium_bin2hex(f->etag + 1, sizeof(f->etag) - 2, hash, sizeof(hash));
    strcat(f->etag, "\"");
    /* Pages get a Content-Security-Policy without inline script: user text can then
       never run as code, even if some day it were inserted as HTML by mistake.
       Pictures may come from any https server: the map's tiles (the hunt file names
       the tile server). Markdown pictures never reach a page as <img> (markdown.c). */
    make_gzip(f);
    {
        const char *csp = strcmp(f->ctype, "text/html; charset=utf-8") == 0 ? CSP : "";
        const char *vary = f->gz ? "Vary: Accept-Encoding\r\n" : "";
        f->headers = spur_asprintf("ETag: %s\r\nCache-Control: %s\r\n%s%s", f->etag, cache_of(rel),
                                   vary, csp);
        if (f->gz)
            f->gz_headers =
                spur_asprintf("ETag: %s\r\nCache-Control: %s\r\nContent-Encoding: gzip\r\n%s%s",
                              f->gz_etag, cache_of(rel), vary, csp);
    }
    f->next = st->list;
    st->list = f;
    st->count++;
    st->total += size;
    spur_map_put(&st->files, rel, strlen(rel), f);
    return 0;
}

static int walk(spur_static_t *st, const char *dir, const char *rel, int depth, char *err,
                size_t err_size)
{
    DIR *d;
    struct dirent *de;
    int r = 0;

    if (depth > MAX_DEPTH)
        return 0;
    d = opendir(dir);
    if (!d) {
        snprintf(err, err_size, "%s: %s", dir, strerror(errno));
        return -1;
    }
    while (r == 0 && (de = readdir(d)) != NULL) {
        struct stat sb;
        char *full, *sub;

        if (de->d_name[0] == '.')
            continue; /* ".", "..", dotfiles and dot-directories */
        full = spur_asprintf("%s/%s", dir, de->d_name);
        sub = spur_asprintf("%s/%s", rel, de->d_name);
        if (lstat(full, &sb) != 0) {
            snprintf(err, err_size, "%s: %s", full, strerror(errno));
            r = -1;
        } else if (S_ISDIR(sb.st_mode)) {
            r = walk(st, full, sub, depth + 1, err, err_size);
        } else if (S_ISREG(sb.st_mode)) {
            r = add_file(st, full, sub, (size_t)sb.st_size, err, err_size);
        } /* symlinks, sockets, devices: never served */
        free(sub);
        free(full);
    }
    closedir(d);
    return r;
}

spur_static_t *spur_static_load(const char *dir, char *err, size_t err_size)
{
    spur_static_t *st;

    if (sodium_init() < 0) {
        snprintf(err, err_size, "libsodium failed to initialise");
        return NULL;
    }
    st = spur_calloc(1, sizeof(*st));
    if (walk(st, dir, "", 0, err, err_size) != 0) {
        spur_static_free(st);
        return NULL;
    }
    spur_debug("static: %zu files, %zu bytes from %s", st->count, st->total, dir);
    return st;
}

/* Only plain, canonical paths: "/a/b.js". */
static int acceptable(const char *path)
{
    if (path[0] != '/')
        return 0;
    if (strstr(path, "..") || strstr(path, "//") || strchr(path, '\\') || strstr(path, "/."))
        return 0;
    return 1;
}

/* If-None-Match: "*" or a list of (possibly weak) tags; weak comparison, RFC 9110. */
static int etag_matches(const char *inm, const char *etag)
{
    size_t elen = strlen(etag);
    const char *s = inm;

    while (*s) {
        const char *end;
        size_t n;
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (*s == '*')
            return 1;
        if (strncmp(s, "W/", 2) == 0)
            s += 2;
        end = strchr(s, ',');
        n = end ? (size_t)(end - s) : strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == elen && memcmp(s, etag, n) == 0)
            return 1;
        s = end ? end : s + strlen(s);
    }
    return 0;
}

int spur_static_serve(const spur_static_t *st, spur_http_req_t *req, const char *path)
{
    const sfile_t *f;
    const char *inm;

    if (!st || !path)
        return UV_ENOENT;
    if (!acceptable(path))
        return UV_ENOENT;
    {
        /* A folder's address ("/", "/staff/") serves its index.html. */
        char idx[512];
        size_t n = strlen(path);
        f = spur_map_get(&st->files, path, n);
        if (!f && path[n - 1] == '/' && n + sizeof("index.html") < sizeof(idx)) {
            snprintf(idx, sizeof(idx), "%sindex.html", path);
            f = spur_map_get(&st->files, idx, strlen(idx));
        }
    }
    if (!f)
        return UV_ENOENT;
    inm = spur_http_header(req, "if-none-match");
    if (f->gz && spur_http_accepts_gzip(req)) {
        if (inm && etag_matches(inm, f->gz_etag))
            spur_http_reply(req, 304, NULL, f->gz_headers, NULL, 0);
        else
            spur_http_reply(req, 200, f->ctype, f->gz_headers, f->gz, f->gz_len);
        return 0;
    }
    if (inm && etag_matches(inm, f->etag)) {
        spur_http_reply(req, 304, NULL, f->headers, NULL, 0);
        return 0;
    }
    spur_http_reply(req, 200, f->ctype, f->headers, f->data, f->len);
    return 0;
}

size_t spur_static_count(const spur_static_t *st)
{
    return st ? st->count : 0;
}

void spur_static_free(spur_static_t *st)
{
    sfile_t *f, *next;

    if (!st)
        return;
    for (f = st->list; f; f = next) {
        next = f->next;
        free(f->data);
        free(f->headers);
        free(f->gz);
        free(f->gz_headers);
        free(f);
    }
    spur_map_free(&st->files);
    free(st);
}
