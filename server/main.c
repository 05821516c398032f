/* spurd: wires the modules together. Parses the command line, loads the
 * state from the database, starts the writer thread and the HTTP server on
 * one libuv loop, and handles signals: SIGINT/SIGTERM stop gracefully (stop
 * accepting, answer what is in flight, commit, exit 0), SIGHUP reloads the
 * hunts from the database without dropping connections. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sodium.h>
#include <uv.h>

#include "api/api.h"
#include "core/log.h"
#include "core/mem.h"
#include "game/codes.h"
#include "store/store.h"

#ifndef SPUR_DATADIR
#define SPUR_DATADIR "/usr/local/share/spur"
#endif

typedef struct {
    spur_server_t srv;
    uv_signal_t sigint, sigterm, sighup;
    int exit_code;
    int hup_again; /* a SIGHUP came during a reload: reload once more when it is done */
} app_t;

static void usage(FILE *f)
{
    fprintf(f, "usage: spurd [--db PATH] [--listen HOST:PORT] [--assets DIR] [--base-url URL]\n"
               "             [--trust-proxy CIDR[,CIDR...]] [--min-free-disk SIZE]\n"
               "\n"
               "Serves the hunts stored in the database (load them with `spur import`).\n"
               "  --db PATH          SQLite database (default spur.db)\n"
               "  --listen HOST:PORT address to listen on (default 127.0.0.1:8080)\n"
               "  --assets DIR       the web app (default ./assets, else " SPUR_DATADIR "/assets)\n"
               "  --base-url URL     public address for QR and join links (default "
               "http://HOST:PORT);\n"
               "                     https:// makes the team cookie Secure\n"
               "  --trust-proxy LIST reverse proxies (addresses or ranges, e.g. 127.0.0.1,::1):\n"
               "                     from them the client address is taken from X-Forwarded-For\n"
               "                     (also SPUR_TRUST_PROXY; default: none)\n"
               "  --min-free-disk SIZE below this much free disk (e.g. 256M, 2G) new teams and\n"
               "                     joins wait, answers go on (also SPUR_MIN_FREE_DISK; "
               "default 256M)\n"
               "Environment: SPUR_ADMIN_TOKEN (staff token; made and printed when unset),\n"
               "SPUR_LEAFLET_DIR (Leaflet for the map, default " SPUR_LEAFLET_DIR "),\n"
               "SPUR_LOG=debug|info|warn|error; limits: see `man spurd`.\n"
               "Signals: SIGTERM/SIGINT stop gracefully, SIGHUP reloads the hunts.\n");
}

static int parse_listen(const char *s, char *host, size_t host_size, int *port)
{
    const char *colon = strrchr(s, ':');
    char *end;
    long p;
    size_t n;

    if (!colon)
        return -1;
    n = (size_t)(colon - s);
    if (s[0] == '[' && n >= 2 && s[n - 1] == ']') { /* [::1]:8080 */
        s++;
        n -= 2;
    }
    if (n == 0 || n >= host_size)
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535 || end == colon + 1)
        return -1;
    *port = (int)p;
    return 0;
}

/* "256M", "2G", "512MiB", "1048576" (bytes), "0" -> *out bytes. Returns 0 or -1. */
static int parse_size(const char *s, uint64_t *out)
{
    static const char units[] = "KMGT";
    char *end;
    const char *u;
    unsigned long long v;

    if (*s < '0' || *s > '9')
        return -1;
    v = strtoull(s, &end, 10);
    if (*end && (u = strchr(units, *end & ~0x20))) { /* K, M, G, T in either case */
        v <<= 10 * (u - units + 1);
        end++;
        if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
            end += strlen(end);
    }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static void on_http_closed(void *data)
{
    app_t *app = data;
    spur_writer_stop(app->srv.writer);
    app->srv.writer = NULL;
    uv_close((uv_handle_t *)&app->sigint, NULL);
    uv_close((uv_handle_t *)&app->sigterm, NULL);
    uv_close((uv_handle_t *)&app->sighup, NULL);
}

static void on_stop_signal(uv_signal_t *h, int signum)
{
    app_t *app = h->data;
    if (app->srv.closing)
        return;
    spur_info("signal %d: stopping (finishing requests in flight)", signum);
    app->srv.closing = 1;
    uv_signal_stop(&app->sigint);
    uv_signal_stop(&app->sigterm);
    uv_signal_stop(&app->sighup);
    spur_api_stop(&app->srv);
    spur_api_disk_stop(&app->srv);
    spur_http_server_close(app->srv.http, on_http_closed, app);
}

static void on_hup(uv_signal_t *h, int signum);

static void on_reloaded(spur_rec_t *r)
{
    app_t *app = r->data;
    if (r->status < 0 || !r->loaded)
        spur_error("SIGHUP: reload failed; keeping the hunts as they were");
    spur_api_reload(&app->srv, r->status < 0 ? NULL : r->loaded);
    spur_rec_free(r);
}

/* After every reload (SIGHUP's, or staff deleting test teams): an import may have been
 * committed after it read the database. */
static void after_reload(void *data)
{
    app_t *app = data;
    if (app->hup_again && !app->srv.closing) {
        app->hup_again = 0;
        on_hup(&app->sighup, SIGHUP);
    }
}

static void on_hup(uv_signal_t *h, int signum)
{
    app_t *app = h->data;
    spur_rec_t *r;
    (void)signum;
    if (app->srv.closing)
        return;
    if (app->srv.reloading) {
        app->hup_again = 1; /* dropping it could leave a later import unloaded */
        return;
    }
    spur_info("SIGHUP: reloading hunts from the database");
    app->srv.reloading = 1;
    r = spur_rec_new(SPUR_REC_RELOAD);
    r->done = on_reloaded;
    r->data = app;
    spur_writer_submit(app->srv.writer, r);
}

static const char *default_assets(void)
{
    struct stat st;
    if (stat("assets/index.html", &st) == 0)
        return "assets";
    return SPUR_DATADIR "/assets";
}

static void set_log_level(void)
{
    const char *l = getenv("SPUR_LOG");
    if (!l)
        return;
    if (strcasecmp(l, "debug") == 0)
        spur_log_set_level(SPUR_LOG_DEBUG);
    else if (strcasecmp(l, "warn") == 0)
        spur_log_set_level(SPUR_LOG_WARN);
    else if (strcasecmp(l, "error") == 0)
        spur_log_set_level(SPUR_LOG_ERROR);
}

/* Each connection is a file descriptor: lift the soft limit (often 1024) towards the
 * hard one so a city's worth of phones fits; past it, accepting fails softly (EMFILE). */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            spur_warn("could not raise the open-file limit");
    }
}

static int load_state(spur_server_t *srv)
{
    sqlite3 *db;
    char err[256];
    if (spur_store_open(srv->db_path, &db, err, sizeof(err)) < 0) {
        spur_error("database %s: %s", srv->db_path, err);
        return -1;
    }
    if (spur_store_load(db, &srv->live, err, sizeof(err)) < 0) {
        spur_error("database %s: %s", srv->db_path, err);
        spur_store_close(db);
        return -1;
    }
    spur_store_close(db);
    srv->next_team_id = srv->live.max_team_id + 1;
    spur_info("loaded %zu hunt(s): %lld rows read in %.0f ms", srv->live.ngames,
              (long long)srv->live.rows, srv->live.load_ms);
    return 0;
}

int main(int argc, char **argv)
{
    static app_t app; /* the one process context; static so signal handlers outlive main's frame */
    spur_server_t *srv = &app.srv;
    static const char *const ops_paths[] = {"/healthz", "/metrics", NULL};
    const char *listen = "127.0.0.1:8080", *db = "spur.db", *assets = NULL, *base = NULL;
    const char *trust = getenv("SPUR_TRUST_PROXY"), *min_free = getenv("SPUR_MIN_FREE_DISK");
    char host[256], err[256];
    spur_http_cidr_t *trusted = NULL;
    size_t ntrusted = 0;
    int port, rc;
    spur_http_config_t cfg;
    uv_loop_t *loop = uv_default_loop();

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--db") == 0 && v) {
            db = v, i++;
        } else if (strcmp(a, "--listen") == 0 && v) {
            listen = v, i++;
        } else if (strcmp(a, "--assets") == 0 && v) {
            assets = v, i++;
        } else if (strcmp(a, "--base-url") == 0 && v) {
            base = v, i++;
        } else if (strcmp(a, "--trust-proxy") == 0 && v) {
            trust = v, i++;
        } else if (strcmp(a, "--min-free-disk") == 0 && v) {
            min_free = v, i++;
        } else {
            fprintf(stderr, "spurd: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (parse_listen(listen, host, sizeof(host), &port) < 0) {
        fprintf(stderr, "spurd: --listen wants HOST:PORT, got '%s'\n", listen);
        return 2;
    }
    if (trust && spur_http_cidrs_parse(trust, &trusted, &ntrusted, err, sizeof(err)) < 0) {
        fprintf(stderr, "spurd: --trust-proxy: %s\n", err);
        return 2;
    }
    srv->staff_log_max = 100000;
    if (getenv("SPUR_STAFF_LOG_MAX")) { /* a typo keeps the default, never 0 */
        char *end;
        long long v = strtoll(getenv("SPUR_STAFF_LOG_MAX"), &end, 10);
        if (*getenv("SPUR_STAFF_LOG_MAX") && !*end && v > 0)
            srv->staff_log_max = v;
    }
    srv->min_free_disk = 256ULL << 20;
    if (min_free && *min_free && parse_size(min_free, &srv->min_free_disk) < 0) {
        fprintf(stderr, "spurd: --min-free-disk wants a size such as 256M or 2G, got '%s'\n",
                min_free);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    set_log_level();
    raise_fd_limit();
    if (sodium_init() < 0) {
        spur_error("libsodium failed to initialise");
        return 1;
    }
    if (spur_api_photos_start() < 0) {
        spur_error("libvips failed to initialise (photos)");
        return 1;
    }
    srv->loop = loop;
    srv->db_path = spur_strdup(db);
    srv->after_reload = after_reload;
    srv->after_reload_data = &app;
    srv->assets_dir = spur_strdup(assets ? assets : default_assets());
    if (base) {
        size_t n = strlen(base);
        while (n && base[n - 1] == '/')
            n--;
        srv->base_url = spur_strndup(base, n);
    } else {
        srv->base_url =
            spur_asprintf(strchr(host, ':') ? "http://[%s]:%d" : "http://%s:%d", host, port);
    }
    if (getenv("SPUR_ADMIN_TOKEN") && *getenv("SPUR_ADMIN_TOKEN")) {
        srv->admin_token = spur_strdup(getenv("SPUR_ADMIN_TOKEN"));
    } else {
        char tok[48];
        spur_codes_random_token(tok);
        srv->admin_token = spur_strdup(tok);
        printf("staff token (set SPUR_ADMIN_TOKEN to choose one): %s\n", tok);
        fflush(stdout);
    }
    crypto_hash_sha256(srv->admin_hash, (const unsigned char *)srv->admin_token,
                       strlen(srv->admin_token));
    {
        /* Held until the process ends: no second spurd on this file, and no
           `spur restore` under a running one. */
        int busy;
        if (spur_store_lock(db, &busy, err, sizeof(err)) < 0) {
            spur_error("%s%s", err, busy ? "; only one spurd may serve a database" : "");
            return 1;
        }
    }
    if (load_state(srv) < 0)
        return 1;
    spur_api_init(srv);
    srv->assets = spur_static_load(srv->assets_dir, err, sizeof(err));
    if (!srv->assets)
        spur_warn("web app not served: %s", err);
    {
        /* Leaflet from Debian (libjs-leaflet) for the app's map, served as it is */
        const char *dir = getenv("SPUR_LEAFLET_DIR");
        srv->leaflet = spur_static_load(dir && *dir ? dir : SPUR_LEAFLET_DIR, err, sizeof(err));
        if (!srv->leaflet)
            spur_warn("Karte ohne Leaflet / map without Leaflet (apt install libjs-leaflet): %s",
                      err);
    }
    if (spur_writer_start(loop, db, &srv->writer) < 0)
        return 1;

    spur_http_config_defaults(&cfg);
    spur_http_config_from_env(&cfg);
    cfg.handler = spur_api_handle;
    cfg.body_limit = spur_api_body_limit;
    cfg.on_log = spur_api_log;
    cfg.data = srv;
    cfg.ops_paths = ops_paths;
    cfg.trusted = trusted;
    cfg.ntrusted = ntrusted;
    if ((rc = spur_http_server_start(loop, &cfg, host, port, &srv->http)) < 0) {
        spur_error("cannot listen on %s: %s", listen, uv_strerror(rc));
        spur_writer_stop(srv->writer);
        uv_run(loop, UV_RUN_DEFAULT);
        return 1;
    }
    spur_api_start(srv);
    spur_api_disk_start(srv);
    uv_signal_init(loop, &app.sigint);
    uv_signal_init(loop, &app.sigterm);
    uv_signal_init(loop, &app.sighup);
    app.sigint.data = app.sigterm.data = app.sighup.data = &app;
    uv_signal_start(&app.sigint, on_stop_signal, SIGINT);
    uv_signal_start(&app.sigterm, on_stop_signal, SIGTERM);
    uv_signal_start(&app.sighup, on_hup, SIGHUP);
    spur_info("spurd listening on %s:%d (%zu hunt(s), db %s, assets %s)", host,
              spur_http_server_port(srv->http), srv->live.ngames, db, srv->assets_dir);
    if (ntrusted)
        spur_info("trusting X-Forwarded-For from %zu proxy range(s): %s", ntrusted, trust);

    uv_run(loop, UV_RUN_DEFAULT);

    spur_api_free(srv);
    if (srv->assets)
        spur_static_free(srv->assets);
    if (srv->leaflet)
        spur_static_free(srv->leaflet);
    free(srv->admin_token);
    free(srv->base_url);
    free(srv->db_path);
    free(srv->assets_dir);
    free(trusted);
    uv_loop_close(loop);
    spur_info("spurd stopped");
    return 0;
}
