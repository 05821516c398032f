/* `spur check FILE`: validates a hunt file and reports every problem with its
 * place in the file, errors and warnings sorted by position and summed up, in
 * German or English by locale (tool.c, msg.c). Nothing is written anywhere but
 * stdout and stderr. */
#include <getopt.h>
#include <stdio.h>

#include "tool.h"

int spur_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    spur_tool_hunt_file_t f;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1)
        return spur_tool_bad_option("check", c, argv);
    if (argc - optind != 1)
        return spur_tool_usage_error(
            "check", SPUR_TR("check braucht genau eine DATEI", "check needs exactly one FILE"));

    rc = spur_tool_load_hunt_file(argv[optind], &f);
    if (rc == SPUR_EXIT_OK) {
        size_t np = f.hunt->npuzzles, nl = f.hunt->nplaces;
        if (spur_tool_german())
            printf("%s: in Ordnung (%zu Rätsel, %zu %s)\n", argv[optind], np, nl,
                   nl == 1 ? "Ort" : "Orte");
        else
            printf("%s: ok (%zu puzzle%s, %zu place%s)\n", argv[optind], np, np == 1 ? "" : "s", nl,
                   nl == 1 ? "" : "s");
    }
    spur_tool_hunt_file_free(&f);
    return rc;
}
