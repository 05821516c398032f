/* The print products for the editor: GET /api/admin/hunts/{h}/print/{posters,flyer,
 * sheet}.pdf. spurd does not draw them itself: it runs the `spur` tool that organizers
 * run (`spur posters`, `spur posters --flyer`, `spur sheet`), so the PDF is the same
 * document, from the same code, with the codes for spurd's own --base-url. The tool
 * reads the database read-only beside the writer (WAL) and writes a temporary file,
 * which is answered and removed.
 *
 * The tool is `spur` beside the spurd binary (as `make` and `make install` put them),
 * or SPUR_TOOL. Everything runs on a pool thread: posix_spawn, waiting, reading the
 * file. Bounds: one print at a time (503 with Retry-After past it), PRINT_SECONDS
 * before the tool is killed, a PDF of at most PRINT_BYTES. */
#include "api.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

#define PRINT_SECONDS 120
#define PRINT_BYTES (64u * 1024 * 1024)

extern char **environ;

typedef struct {
    uv_work_t work;
    spur_server_t *srv;
    spur_http_req_t *req;
    char *hunt_id;
    const char *what; /* "posters", "flyer" or "sheet" */
    int ok;
    char why[200]; /* the tool's first line on stderr, when it failed */
    spur_buf_t pdf;
} print_job_t;

/* The tool: SPUR_TOOL, else "spur" in the folder of the running spurd. */
static char *tool_path(void)
{
    const char *env = getenv("SPUR_TOOL");
    char self[PATH_MAX];
    ssize_t n;
    char *slash;
    if (env && *env)
        return spur_strdup(env);
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return spur_strdup("spur");
    self[n] = '\0';
    slash = strrchr(self, '/');
    *slash = '\0';
    return spur_asprintf("%s/spur", self);
}

/* Reads the file at fd (from its start) into b, at most max bytes. 0 or -1. */
static int read_all(int fd, spur_buf_t *b, size_t max)
{
    char chunk[65536];
    ssize_t n;
    if (lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
        if (b->len + (size_t)n > max)
            return -1;
        spur_buf_append(b, chunk, (size_t)n);
    }
    return n < 0 ? -1 : 0;
}

/* A temporary file, already unlinked (the descriptor is all there is of it). */
static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[PATH_MAX];
    int fd;
    snprintf(path, sizeof path, "%s/spur-print-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

static void print_work(uv_work_t *w)
{
    print_job_t *j = w->data;
    char *tool = tool_path();
    int out = temp_file(), err = temp_file(), status = 0;
    const char *argv[16];
    size_t argc = 0;
    posix_spawn_file_actions_t fa;
    pid_t pid = -1;

    if (out < 0 || err < 0) {
        snprintf(j->why, sizeof j->why, "no temporary file: %s", strerror(errno));
        goto out;
    }
    /* the child has the PDF's file as descriptor 3 and writes it by that name (/proc,
       not /dev/fd: a container or chroot may lack that link) */
    argv[argc++] = tool;
    argv[argc++] = strcmp(j->what, "sheet") == 0 ? "sheet" : "posters";
    argv[argc++] = "--db";
    argv[argc++] = j->srv->db_path;
    argv[argc++] = "--hunt";
    argv[argc++] = j->hunt_id;
    argv[argc++] = "-o";
    argv[argc++] = "/proc/self/fd/3";
    if (strcmp(j->what, "sheet") != 0) {
        argv[argc++] = "--base-url";
        argv[argc++] = j->srv->base_url;
    }
    if (strcmp(j->what, "flyer") == 0)
        argv[argc++] = "--flyer";
    argv[argc] = NULL;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out, 3);
    posix_spawn_file_actions_adddup2(&fa, err, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    errno = posix_spawn(&pid, tool, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (errno != 0) {
        snprintf(j->why, sizeof j->why, "cannot run %s: %s", tool, strerror(errno));
        goto out;
    }
    for (int waited = 0;; waited++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            snprintf(j->why, sizeof j->why, "waiting for %s: %s", tool, strerror(errno));
            goto out;
        }
        if (waited >= PRINT_SECONDS * 20) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            snprintf(j->why, sizeof j->why, "%s took longer than %d s", tool, PRINT_SECONDS);
            goto out;
        }
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        spur_buf_t e = {0};
        read_all(err, &e, 4096);
        snprintf(j->why, sizeof j->why, "%.*s", (int)strcspn(e.data ? e.data : "", "\n"),
                 e.data ? e.data : "");
        if (!j->why[0])
            snprintf(j->why, sizeof j->why, "%s ended with status %d", tool, status);
        spur_buf_free(&e);
        goto out;
    }
    if (read_all(out, &j->pdf, PRINT_BYTES) < 0 || j->pdf.len < 5 ||
        memcmp(j->pdf.data, "%PDF-", 5) != 0) {
        snprintf(j->why, sizeof j->why, "%s wrote no PDF (or one over %u MiB)", tool,
                 PRINT_BYTES >> 20);
        goto out;
    }
    j->ok = 1;
out:
    if (out >= 0)
        close(out);
    if (err >= 0)
        close(err);
    free(tool);
}

static void print_done(uv_work_t *w, int status)
{
    print_job_t *j = w->data;
    j->srv->print_in_flight--;
    if (status == 0 && j->ok) {
        char hdr[200];
        snprintf(hdr, sizeof hdr,
                 "Cache-Control: no-store\r\nContent-Disposition: attachment; "
                 "filename=\"%s-%s.pdf\"\r\n",
                 j->hunt_id, j->what);
        spur_http_reply(j->req, 200, "application/pdf", hdr, j->pdf.data, j->pdf.len);
    } else {
        spur_error("print %s of %s failed: %s", j->what, j->hunt_id, j->why);
        spur_api_error_msg(j->req, SPUR_EPRINT_FAILED, NULL, NULL, NULL);
    }
    spur_buf_free(&j->pdf);
    free(j->hunt_id);
    free(j);
}

void spur_api_admin_print(spur_server_t *srv, spur_http_req_t *req, spur_game_t *g,
                          const char *file)
{
    static const char *const products[] = {"posters", "flyer", "sheet"};
    const char *what = NULL;
    print_job_t *j;

    for (size_t i = 0; i < sizeof products / sizeof *products; i++) {
        size_t n = strlen(products[i]);
        if (strncmp(file, products[i], n) == 0 && strcmp(file + n, ".pdf") == 0)
            what = products[i];
    }
    if (!what) {
        spur_api_error(req, SPUR_ENOT_FOUND, NULL);
        return;
    }
    if (srv->print_in_flight) {
        srv->metrics.overloaded++;
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 5\r\n");
        return;
    }
    j = spur_calloc(1, sizeof(*j));
    j->work.data = j;
    j->srv = srv;
    j->req = req;
    j->hunt_id = spur_strdup(g->hunt->id);
    j->what = what;
    if (uv_queue_work(srv->loop, &j->work, print_work, print_done) != 0) {
        free(j->hunt_id);
        free(j);
        spur_api_error(req, SPUR_EOVERLOADED, "Retry-After: 5\r\n");
        return;
    }
    srv->print_in_flight++;
}
