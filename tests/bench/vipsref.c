/* make bench's reference for photo uploads: what spurd's photo pipeline costs without
 * a server around it. Reads one JPEG and, N times, does what api/photos.c does on the
 * thread pool (libvips thumbnail to 1600 px with the orientation applied, JPEG q82
 * without metadata, written to a file, fsynced and renamed), then prints the photos
 * per second. Usage: vipsref FILE.jpg N DIR */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    FILE *fp;
    long size;
    char *buf;
    int n;
    double t0;

    if (argc != 4 || (n = atoi(argv[2])) <= 0) {
        fprintf(stderr, "usage: vipsref FILE.jpg N DIR\n");
        return 2;
    }
    if (VIPS_INIT(argv[0]) != 0)
        return 1;
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    if (!(fp = fopen(argv[1], "rb")) || fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) <= 0)
        return 1;
    rewind(fp);
    buf = malloc((size_t)size);
    if (!buf || fread(buf, 1, (size_t)size, fp) != (size_t)size)
        return 1;
    fclose(fp);
    t0 = now_s();
    for (int i = 0; i < n; i++) {
        VipsImage *thumb = NULL;
        void *out = NULL;
        size_t len = 0;
        char tmp[4096], path[4096];
        int fd;
        if (vips_thumbnail_buffer(buf, (size_t)size, &thumb, 1600, "height", 1600, "size",
                                  VIPS_SIZE_DOWN, "option_string", "fail_on=truncated", NULL) != 0 ||
            vips_jpegsave_buffer(thumb, &out, &len, "Q", 82, "strip", TRUE, "interlace", TRUE,
                                 "optimize_coding", TRUE, NULL) != 0)
            return 1;
        snprintf(tmp, sizeof tmp, "%s/%d-%d.jpg.tmp", argv[3], (int)getpid(), i);
        snprintf(path, sizeof path, "%s/%d-%d.jpg", argv[3], (int)getpid(), i);
        if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) < 0 ||
            write(fd, out, len) != (ssize_t)len || fsync(fd) != 0 || close(fd) != 0 ||
            rename(tmp, path) != 0)
            return 1;
        g_free(out);
        g_object_unref(thumb);
    }
    printf("%.2f\n", n / (now_s() - t0));
    free(buf);
    vips_shutdown();
    return 0;
}
