/* `spur new [FILE]`: writes the starter hunt (office/starter.c) an organizer edits into
 * their own, in German or English by locale.
 * Never overwrites: the file is created with O_EXCL. Without FILE it goes to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "office/starter.h"
#include "tool.h"

int spur_cmd_new(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    char *text;
    int c, fd;
    size_t len, done = 0;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1)
        return spur_tool_bad_option("new", c, argv);
    if (argc - optind > 1)
        return spur_tool_usage_error(
            "new", SPUR_TR("new nimmt höchstens eine DATEI", "new takes at most one FILE"));

    text = spur_starter_text(spur_tool_german(), NULL, NULL);
    len = strlen(text);
    if (argc == optind) {
        fputs(text, stdout);
        free(text);
        return SPUR_EXIT_OK;
    }
    fd = open(argv[optind], O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            spur_tool_err(SPUR_TR("%s gibt es schon; sie wird nicht überschrieben",
                                  "%s already exists; not overwriting it"),
                          argv[optind]);
        else
            spur_tool_err(SPUR_TR("kann %s nicht anlegen: %s", "cannot create %s: %s"),
                          argv[optind], strerror(errno));
        free(text);
        return SPUR_EXIT_USAGE;
    }
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            spur_tool_err(SPUR_TR("kann %s nicht schreiben: %s", "cannot write %s: %s"),
                          argv[optind], strerror(errno));
            close(fd);
            unlink(argv[optind]);
            free(text);
            return SPUR_EXIT_USAGE;
        }
        done += (size_t)w;
    }
    free(text);
    if (close(fd) < 0) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %s", "cannot write %s: %s"), argv[optind],
                      strerror(errno));
        return SPUR_EXIT_USAGE;
    }
    fprintf(stderr,
            spur_tool_german() ? "%s angelegt. Jetzt anpassen und mit `spur check %s` prüfen.\n"
                               : "wrote %s. Edit it, then run `spur check %s`.\n",
            argv[optind], argv[optind]);
    return SPUR_EXIT_OK;
}
