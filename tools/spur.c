/* `spur`: the organizers' and staff's command-line tool. One binary with git-style
 * subcommands; this file holds the command table, the help texts and the dispatch.
 * Every command answers --help; commands not built yet still have their help and
 * exit 2 when run. Exit codes: 0 ok, 1 the hunt file has errors, 2 usage or runtime
 * error. Errors go to stderr as "spur: ...". */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const spur_tool_cmd_t commands[] = {
    {"check", "spur check FILE", "validate a hunt file",
     "Reads FILE, checks that it is strict JSON and a valid hunt, and prints every\n"
     "problem at once, sorted by position, as FILE:LINE:COL: error: message (or\n"
     "warning:), pointing at the offending value, then a summary such as\n"
     "\"2 errors, 1 warning\". A problem that cannot be placed in the file is printed\n"
     "as FILE: error: at PATH: message. Errors make the hunt unusable; warnings\n"
     "(a place no puzzle uses, a puzzle no team can reach) do not.\n"
     "Prints \"FILE: ok (N puzzles, M places)\" when there is no error.\n"
     "Messages are German when LC_ALL, LC_MESSAGES or LANG starts with \"de\".\n"
     "Keys starting with \"_\" are comments and ignored.\n"
     "Exit status: 0 valid (warnings allowed), 1 errors found, 2 file unreadable.",
     spur_cmd_check, 0},
    {"new", "spur new [FILE]", "write a starter hunt file to edit",
     "Writes a small, valid hunt to FILE (or to standard output): one place, a\n"
     "puzzle of each kind, a hint and a prize, with \"_comment\" keys explaining\n"
     "them and dates next week. German when the locale is German, else English.\n"
     "An existing FILE is never overwritten.\n"
     "Exit status: 0 written, 2 FILE exists or cannot be written.",
     spur_cmd_new, 0},
    {"import", "spur import FILE --db PATH [--dry-run]", "validate and load or update a hunt",
     "Validates FILE like `spur check` and stores it in the database PATH (created\n"
     "when missing), then prints the hunt id. Importing a hunt with an id that is\n"
     "already stored updates it: its secret (so its QR and short codes), its draw\n"
     "seed and the teams' progress are kept. A puzzle that is removed keeps its\n"
     "solves in the history but no longer counts in scores. A running spurd picks\n"
     "up the change on SIGHUP (kill -HUP PID) or when restarted.\n"
     "  --db PATH    the database file (required)\n"
     "  --dry-run    change nothing; list what differs from the stored version:\n"
     "               title and time changes, puzzles, places and prizes added,\n"
     "               removed or changed (with the keys that changed), and a\n"
     "               warning for each removed puzzle that teams have solved\n"
     "Exit status: 0 imported, 1 the file has errors, 2 usage or database error.",
     spur_cmd_import, 0},
    {"qr",
     "spur qr --db PATH --hunt ID [--place ID] [--format text|svg|png] [--out DIR] "
     "[--ec L|M|Q|H] [--size PX] [--base-url URL] [--terminal]",
     "print or write the QR codes and short codes of a hunt's places",
     "For every place of hunt ID (or only --place ID):\n"
     "  --format text  (the default) one tab-separated line: place id, scan URL\n"
     "                 <base>/s/<token>, and the printed short code ABCD-EFGH;\n"
     "                 --terminal also draws each QR code with Unicode blocks\n"
     "  --format svg   writes DIR/<place>.svg, and DIR/join.svg with the link that\n"
     "  --format png   opens the hunt (<base>/?hunt=ID); prints each file's path\n"
     "  --out DIR      where files go (created when missing; default: the current directory)\n"
     "  --ec L|M|Q|H   error correction level of files (default M; Q or H survive\n"
     "                 dirt and scratches better but make denser codes)\n"
     "  --size PX      PNG width in pixels (default 600, whole pixels per module);\n"
     "                 for SVG the printed width (default: scales freely)\n"
     "  --base-url URL the server's public address (default http://127.0.0.1:8080)\n"
     "Files have a quiet zone of 4 modules. For printed posters use `spur posters`.\n"
     "  spur qr --url URL [--terminal | --format svg|png]   any URL (file: qr.svg)",
     spur_cmd_qr, 0},
    {"posters", "spur posters --db PATH --hunt ID -o FILE.pdf [--base-url URL] [--ec M|Q|H]",
     "write a printable PDF with one poster per place",
     "Writes FILE.pdf (A4) with one page per place of hunt ID: the hunt title, the\n"
     "place's name and where, a QR code 13 cm wide encoding <base>/s/<token>, the\n"
     "short code in large letters for phones that cannot scan, a one-line\n"
     "instruction in the hunt's language and the hunt's dates.\n"
     "  --base-url URL the server's public address (default http://127.0.0.1:8080);\n"
     "                 use the real one, the codes cannot be changed once printed\n"
     "  --ec M|Q|H     error correction (default Q: a poster survives some dirt)\n"
     "Exit status: 0 written, 2 usage, database or write error.",
     spur_cmd_posters, 0},
    {"export", "spur export --db PATH --hunt ID [--format csv|json] [-o FILE]", "export results",
     "Writes the results of hunt ID to FILE (or standard output) as CSV (the\n"
     "default) or JSON, ranked as the server ranks them. Per team: rank, id, name,\n"
     "score, puzzles solved, last solve time, hints taken and the time of each\n"
     "solve; per puzzle: how many teams solved it and hints taken. Times are UTC.\n"
     "CSV: a team table, an empty line, a puzzle table; text cells are quoted and\n"
     "protected against spreadsheet formulas (a leading ' before = + - @).\n"
     "Contact data is never exported.",
     spur_cmd_export, 0},
    {"draw", "spur draw --db PATH --hunt ID --prize ID [--beacon VALUE]",
     "run a prize draw after the deadline",
     "Draws the winners (and reserves) of prize ID among the eligible teams by the\n"
     "final scores, with the algorithm spur-draw-v1 (the same as the staff console),\n"
     "or spur-draw-v2 when the hunt names a draw_beacon: then --beacon VALUE is the\n"
     "public random value its source published after the deadline, and is required.\n"
     "stores the draw record and prints it as JSON. It runs only after the hunt's\n"
     "deadline plus its late_sync_grace (offline answers may arrive until then).\n"
     "A prize is drawn once, ever: when it was drawn before, by this command or by\n"
     "spurd, the stored record is printed and nothing changes. A running spurd\n"
     "publishes a record stored here after `kill -HUP`. Anyone can check the record\n"
     "with `spur verify-draw`.\n"
     "Exit status: 0 drawn, 1 refused (too early, or drawn before), 2 usage or\n"
     "database error.",
     spur_cmd_draw, 0},
    {"verify-draw", "spur verify-draw RECORD.json [--commitment HEX] [--beacon VALUE]",
     "check a published draw record",
     "Recomputes the draw from RECORD.json alone: the commitment is SHA-256 of the\n"
     "seed, the eligible lines are well formed and in team id order, eligible_sha256\n"
     "is their hash, and the winners and reserves follow from the seed, the lines\n"
     "and the prize id. Prints VERIFIED, or each difference. RECORD.json is one\n"
     "record or the whole document GET /api/hunts/ID/draw returns (every record is\n"
     "checked, also against the document's commitment). --commitment HEX also checks\n"
     "the seed against the draw_commitment published at the start\n"
     "(GET /api/hunts/ID). A spur-draw-v2 record also mixes in its beacon;\n"
     "--beacon VALUE checks that beacon against the value its public source\n"
     "published. Use - to read standard input.\n"
     "Exit status: 0 when every record is VERIFIED, 1 otherwise, 2 unreadable.",
     spur_cmd_verify_draw, 0},
    {"claim", "spur claim --db PATH --hunt ID CODE", "check a prize claim code",
     "Says which team won which prize (or is which reserve) with the claim code\n"
     "CODE (ABCD-EFGH, any case) that the winning team sees in the web app.\n"
     "Exit status: 0 a prize was won with CODE, 1 no prize, 2 usage or database\n"
     "error.",
     spur_cmd_claim, 0},
    {"purge", "spur purge --db PATH --hunt ID [--yes]", "delete the contact data of a hunt",
     "Deletes every team's optional contact data for hunt ID (overwritten on disk,\n"
     "not only unlinked). Teams, scores and draw records stay. Asks first:\n"
     "\"Delete contact data of N teams of hunt ID? [y/N]\". Without a terminal it\n"
     "refuses unless --yes is given.\n"
     "  --yes, -y   delete without asking\n"
     "Exit status: 0 deleted (or nothing to delete), 2 refused, declined or error.",
     spur_cmd_purge, 0},
    {"backup", "spur backup --db PATH -o FILE", "copy the database while spurd runs",
     "Writes a consistent copy of the whole database to FILE while spurd keeps\n"
     "running: everything committed when the backup began. FILE is replaced only\n"
     "once the new copy is complete and checked. The copy holds the hunts' secrets\n"
     "(the keys behind the QR codes, the draw seeds): keep it private.\n"
     "To restore it: stop spurd, `spur restore --db PATH FILE`, start spurd.\n"
     "  -o, --out FILE   where the backup goes\n"
     "Exit status: 0 written, 2 usage, database or file error.",
     spur_cmd_backup, 0},
    {"restore", "spur restore --db PATH FILE", "put a backup in place (spurd stopped)",
     "Replaces the database PATH (created if missing) with the backup FILE made by\n"
     "`spur backup`, after checking that FILE is an intact spur database. Refuses\n"
     "while a spurd serves PATH: stop it first (kill -TERM), restore, start it\n"
     "again. Everything recorded after the backup was made is gone afterwards.\n"
     "Exit status: 0 restored, 2 usage, refused, or database or file error.",
     spur_cmd_restore, 0},
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
            fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`spur help COMMAND` or `spur COMMAND --help` describes one command.\n"
          "Exit status: 0 ok, 1 the hunt file has errors (draw, claim, verify-draw: a\n"
          "refusal or mismatch; see their help), 2 usage or runtime error.\n",
          out);
}

static void print_command_help(const spur_tool_cmd_t *c)
{
    printf("usage: %s\n\n%s.\n", c->synopsis, c->summary);
    if (c->details)
        printf("\n%s\n", c->details);
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
    assert(c->run); /* every command but help (handled above) has one */
    return c->run(argc - 1, argv + 1);
}
