/* `spur`: the organizers' and staff's command-line tool. One binary with git-style
 * subcommands; this file holds the command table, the help texts and the dispatch.
 * Every command answers --help; commands not built yet still have their help and
 * exit 2 when run. Exit codes: 0 ok, 1 the hunt file has errors, 2 usage or runtime
 * error. Errors go to stderr as "spur: ...". */
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const spur_tool_cmd_t commands[] = {
    {"check", "spur check FILE", "validate a hunt file",
     "Reads FILE, checks that it is strict JSON and a valid hunt, and prints every\n"
     "problem as FILE:LINE:COL: error: message (or warning:). When a problem cannot\n"
     "be placed in the file it is printed as FILE: error: at PATH: message.\n"
     "Prints \"FILE: ok (N puzzles, M places)\" when there is no error.\n"
     "Exit status: 0 valid (warnings allowed), 1 errors found, 2 file unreadable.",
     spur_cmd_check, 0},
    {"import", "spur import FILE --db PATH [--dry-run]", "validate and load or update a hunt",
     "Validates FILE like `spur check` and stores it in the database PATH (created\n"
     "when missing), then prints the hunt id. Importing a hunt with an id that is\n"
     "already stored updates it: its secret (so its QR and short codes), its draw\n"
     "seed and the teams' progress are kept.\n"
     "  --db PATH    the database file (required)\n"
     "  --dry-run    change nothing; list what differs from the stored version:\n"
     "               puzzles, places and prizes added, removed or changed, by id\n"
     "Exit status: 0 imported, 1 the file has errors, 2 usage or database error.",
     spur_cmd_import, 0},
    {"qr",
     "spur qr --db PATH --hunt ID [--place ID] [--format text|svg|png] [--out DIR] "
     "[--base-url URL] [--terminal]",
     "print the QR codes and short codes of a hunt's places",
     "For every place of hunt ID (or only --place ID): with --format text (the\n"
     "default) one tab-separated line: place id, scan URL <base>/s/<token>, and the\n"
     "printed short code ABCD-EFGH. The base URL is the server's public address\n"
     "(default http://127.0.0.1:8080). --terminal also draws each QR code in the\n"
     "terminal with Unicode blocks.\n"
     "  spur qr --url URL --terminal   draws the QR code of any URL\n"
     "--format svg and png (files written to --out DIR) are not implemented yet.",
     spur_cmd_qr, 0},
    {"posters", "spur posters --db PATH --hunt ID -o FILE.pdf",
     "print a PDF with one poster per place",
     "Writes FILE.pdf with one printable page per place of hunt ID: the place name,\n"
     "its QR code, its short code and the hunt title.",
     NULL, 0},
    {"export", "spur export --db PATH --hunt ID [--format csv|json]", "export results",
     "Writes the results of hunt ID (teams, scores, solves) to stdout as CSV (the\n"
     "default) or JSON. Contact data is never exported.",
     NULL, 0},
    {"draw", "spur draw --db PATH --hunt ID --prize ID", "run a prize draw after the deadline",
     "Draws the winners (and reserves) of prize ID among the eligible teams, after\n"
     "the hunt's deadline, stores the draw record and prints it as JSON. The record\n"
     "can be checked by anyone with `spur verify-draw`.",
     NULL, 0},
    {"verify-draw", "spur verify-draw RECORD.json", "check a published draw record",
     "Recomputes the draw from RECORD.json (seed, commitment, eligible teams) and\n"
     "prints VERIFIED, or where the record differs from the recomputation.\n"
     "Exit status: 0 when VERIFIED.",
     NULL, 0},
    {"purge", "spur purge --db PATH --hunt ID", "delete the contact data of a hunt",
     "Deletes every team's optional contact data for hunt ID. Teams, scores and\n"
     "draw records stay.",
     NULL, 0},
    {"help", "spur help [COMMAND]", "show help for spur or one command", NULL, NULL, 0},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const spur_tool_cmd_t *spur_tool_find_cmd(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    fputs("usage: spur COMMAND [ARGS]\n\n"
          "spur prepares and runs city scavenger hunts served by spurd.\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!commands[i].hidden)
            fprintf(out, "  %-12s %s%s\n", commands[i].name, commands[i].summary,
                    commands[i].run || strcmp(commands[i].name, "help") == 0
                        ? ""
                        : " (not implemented yet)");
    fputs("\n`spur help COMMAND` or `spur COMMAND --help` describes one command.\n"
          "Exit status: 0 ok, 1 the hunt file has errors, 2 usage or runtime error.\n",
          out);
}

static void print_command_help(const spur_tool_cmd_t *c)
{
    printf("usage: %s\n\n%s.\n", c->synopsis, c->summary);
    if (c->details)
        printf("\n%s\n", c->details);
    if (!c->run && strcmp(c->name, "help") != 0)
        printf("\n(not implemented yet)\n");
}

static int on_help(int argc, char **argv)
{
    const spur_tool_cmd_t *c;
    if (argc < 2) {
        print_overview(stdout);
        return SPUR_EXIT_OK;
    }
    if (argc > 2)
        return spur_tool_usage_error("help", "help takes one command name");
    c = spur_tool_find_cmd(argv[1]);
    if (!c) {
        spur_tool_err("unknown command '%s'; `spur --help` lists them", argv[1]);
        return SPUR_EXIT_USAGE;
    }
    print_command_help(c);
    return SPUR_EXIT_OK;
}

/* Does argv ask for help? Only arguments before a "--" count. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const spur_tool_cmd_t *c;

    if (argc < 2) {
        print_overview(stderr);
        return SPUR_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_overview(stdout);
        return SPUR_EXIT_OK;
    }
    c = spur_tool_find_cmd(argv[1]);
    if (!c) {
        spur_tool_err("unknown command '%s'; `spur --help` lists them", argv[1]);
        return SPUR_EXIT_USAGE;
    }
    if (strcmp(c->name, "help") == 0)
        return on_help(argc - 1, argv + 1);
    if (wants_help(argc - 1, argv + 1)) {
        print_command_help(c);
        return SPUR_EXIT_OK;
    }
    if (!c->run) {
        spur_tool_err("%s is not implemented yet", c->name);
        return SPUR_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
