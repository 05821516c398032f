/* `spur check FILE`: validates a hunt file and reports every problem with its
 * place in the file. Nothing is written anywhere but stdout and stderr. */
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
        return spur_tool_usage_error("check", "check needs exactly one FILE");

    rc = spur_tool_load_hunt_file(argv[optind], &f);
    if (rc == SPUR_EXIT_OK)
        printf("%s: ok (%zu puzzles, %zu places)\n", argv[optind], f.hunt->npuzzles,
               f.hunt->nplaces);
    spur_tool_hunt_file_free(&f);
    return rc;
}
