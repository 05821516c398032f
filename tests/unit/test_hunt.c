/* Unit tests of the hunt loader: a good hunt file becomes the model the game runs
 * on, and each mistake an organizer can make is reported at its JSON path with a
 * message that says what to fix. JSON is written with ' for " to stay readable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/json.h"
#include "game/hunt.h"

static spur_hunt_t *load(const char *squoted, spur_diags_t *d)
{
    char *s = strdup(squoted);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    char err[128];
    size_t off;
    cJSON *root = spur_json_parse(s, strlen(s), err, sizeof(err), &off);
    if (!root)
        fail_msg("test JSON does not parse: %s at %zu: %s", err, off, s);
    spur_hunt_t *h = spur_hunt_from_json(root, d);
    cJSON_Delete(root);
    free(s);
    return h;
}

/* Asserts that d holds an error (or warning) at path whose message contains text. */
static void assert_diag(const spur_diags_t *d, int warning, const char *path, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].warning == warning && strcmp(d->items[i].path, path) == 0 &&
            strstr(d->items[i].message, text))
            return;
    for (size_t i = 0; i < d->n; i++)
        print_message("  have %s at '%s': %s\n", d->items[i].warning ? "warning" : "error",
                      d->items[i].path, d->items[i].message);
    fail_msg("no %s at '%s' containing '%s'", warning ? "warning" : "error", path, text);
}

#define HEAD                                                                                       \
    "'id':'kl-rallye','title':'Rallye','starts_at':'2026-06-18T10:00:00+02:00',"                   \
    "'ends_at':'2026-06-28T23:59:59+02:00',"
#define PLACES "'places':[{'id':'rathaus','name':'Rathaus','lat':49.44,'lon':7.76}],"
#define SCAN                                                                                       \
    "{'id':'find-rathaus','title':'Das Rathaus','kind':'scan','place':'rathaus',"                  \
    "'clue':'Wo?','points':5}"

static void example_hunt_loads_with_resolved_ids_and_normalised_answers(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h = load(
        "{" HEAD "'freeze_at':'2026-06-28T22:00:00+02:00'," PLACES "'puzzles':[" SCAN ","
        "{'id':'kaiser','title':'Der Kaiser','clue':'Wer?','points':10,'requires':['find-rathaus'],"
        " 'answer':{'accept':['Barbarossa','Friedrich "
        "Barbarossa'],'partial':{'Friedrich':'Welcher?'}},"
        " 'hints':[{'text':'Rotbart','cost':3}]},"
        "{'id':'stufen','title':'Stufen','points':8,'answer':{'number':42,'tolerance':0.5}},"
        "{'id':'farbe','title':'Farbe','points':4,'answer':{'choices':['rot','gruen','blau'],'"
        "correct':1}}],"
        "'prizes':[{'id':'paket','name':'Paket','count':1,'eligible':'all','reserves':2},"
        "{'id':'klein','name':'Klein','count':'all','eligible':'finished'},"
        "{'id':'gut','name':'Gut','count':2,'eligible':{'min_score':27}}]}",
        &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 0);
    assert_non_null(h);
    assert_string_equal(h->id, "kl-rallye");
    assert_string_equal(h->language, "de");
    assert_int_equal(h->starts_at, 1781769600);
    assert_int_equal(h->ends_at - h->freeze_at, 7199);
    assert_int_equal(h->late_sync_grace, 600);
    assert_int_equal(h->guess_limit, 10);
    assert_int_equal(h->guess_window, 60);
    assert_int_equal(h->npuzzles, 4);
    assert_int_equal(h->puzzles[0].kind, SPUR_KIND_SCAN);
    assert_int_equal(h->puzzles[0].place, 0);
    assert_int_equal(h->puzzles[1].kind, SPUR_KIND_TEXT);
    assert_int_equal(h->puzzles[1].nrequires, 1);
    assert_int_equal(h->puzzles[1].requires[0], 0);
    assert_string_equal(h->puzzles[1].accept[1], "friedrichbarbarossa");
    assert_string_equal(h->puzzles[1].partial[0].norm, "friedrich");
    assert_string_equal(h->puzzles[1].partial[0].message, "Welcher?");
    assert_int_equal(h->puzzles[1].hints[0].cost, 3);
    assert_int_equal(h->puzzles[2].kind, SPUR_KIND_NUMBER);
    assert_true(h->puzzles[2].tolerance == 0.5);
    assert_int_equal(h->puzzles[3].kind, SPUR_KIND_CHOICE);
    assert_string_equal(h->puzzles[3].choices[1], "gruen");
    assert_string_equal(h->puzzles[2].clue, "");
    assert_int_equal(h->prizes[0].reserves, 2);
    assert_int_equal(h->prizes[1].count, SPUR_PRIZE_ALL);
    assert_int_equal(h->prizes[1].eligible, SPUR_ELIG_FINISHED);
    assert_int_equal(h->prizes[2].eligible, SPUR_ELIG_MIN_SCORE);
    assert_int_equal(h->prizes[2].min_score, 27);
    assert_int_equal(spur_hunt_puzzle_index(h, "stufen"), 2);
    assert_int_equal(spur_hunt_place_index(h, "rathaus"), 0);
    assert_int_equal(spur_hunt_prize_index(h, "gut"), 2);
    assert_int_equal(spur_hunt_puzzle_index(h, "nope"), -1);
    spur_hunt_free(h);
    spur_diags_free(&d);
}

static void unknown_key_is_an_error_with_a_suggestion(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h = load("{" HEAD "'tilte':'x','puzzles':[{'id':'a','title':'A','points':1,"
                          "'requries':[],'answer':{'accept':['x']}}]}",
                          &d);
    assert_null(h);
    assert_diag(&d, 0, "puzzles[0].requries",
                "unknown key \"requries\"; did you mean \"requires\"?");
    assert_diag(&d, 0, "tilte", "did you mean \"title\"?");
    spur_diags_free(&d);
}

static void unknown_key_without_a_close_match_has_no_suggestion(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD "'puzzles':[],'zzzzzzzz':1}", &d));
    assert_diag(&d, 0, "zzzzzzzz", "unknown key \"zzzzzzzz\"");
    assert_null(strstr(d.items[0].message, "did you mean"));
    spur_diags_free(&d);
}

static void requires_cycle_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h =
        load("{" HEAD "'puzzles':["
             "{'id':'a','title':'A','points':1,'requires':['c'],'answer':{'accept':['x']}},"
             "{'id':'b','title':'B','points':1,'requires':['a'],'answer':{'accept':['x']}},"
             "{'id':'c','title':'C','points':1,'requires':['b'],'answer':{'accept':['x']}},"
             "{'id':'d','title':'D','points':1,'requires':['d'],'answer':{'accept':['x']}}]}",
             &d);
    assert_null(h);
    assert_diag(&d, 0, "puzzles[1].requires", "forms a cycle: a -> c -> b -> a");
    assert_diag(&d, 0, "puzzles[3].requires", "puzzle \"d\" requires itself");
    assert_int_equal(d.errors, 2);
    spur_diags_free(&d);
}

static void requires_unknown_puzzle_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(
        load("{" HEAD "'puzzles':["
             "{'id':'kaiser','title':'A','points':1,'answer':{'accept':['x']}},"
             "{'id':'b','title':'B','points':1,'requires':['kaiserr'],'answer':{'accept':['x']}}]}",
             &d));
    assert_diag(&d, 0, "puzzles[1].requires[0]",
                "requires unknown puzzle \"kaiserr\"; did you mean \"kaiser\"?");
    spur_diags_free(&d);
}

static void missing_place_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD PLACES "'puzzles':["
                     "{'id':'a','title':'A','kind':'scan','points':1},"
                     "{'id':'b','title':'B','kind':'scan','place':'rathus','points':1}]}",
                     &d));
    assert_diag(&d, 0, "puzzles[0]", "a scan puzzle needs a \"place\"");
    assert_diag(&d, 0, "puzzles[1].place", "unknown place \"rathus\"; did you mean \"rathaus\"?");
    spur_diags_free(&d);
}

static void bad_time_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{'id':'h','title':'T','starts_at':'2026-06-18 10:00',"
                     "'ends_at':'2026-02-30T10:00:00Z','puzzles':[]}",
                     &d));
    assert_diag(&d, 0, "starts_at", "\"starts_at\" is not an RFC 3339 time");
    assert_diag(&d, 0, "ends_at", "\"ends_at\" is not an RFC 3339 time");
    spur_diags_free(&d);
}

static void ends_before_start_and_freeze_outside_are_errors(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{'id':'h','title':'T','starts_at':'2026-06-18T10:00:00Z',"
                     "'ends_at':'2026-06-18T09:00:00Z','freeze_at':'2026-06-19T00:00:00Z',"
                     "'puzzles':[]}",
                     &d));
    assert_diag(&d, 0, "ends_at", "\"ends_at\" must be after \"starts_at\"");
    assert_diag(&d, 0, "freeze_at", "between");
    spur_diags_free(&d);
}

static void duplicate_ids_are_errors(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(
        load("{" HEAD "'places':[{'id':'p','name':'P'},{'id':'p','name':'Q'}],"
             "'puzzles':[{'id':'a','title':'A','points':1,'place':'p','answer':{'accept':['x']}},"
             "{'id':'a','title':'B','points':1,'answer':{'accept':['y']}}],"
             "'prizes':[{'id':'z','name':'Z','count':1},{'id':'z','name':'Z','count':1}]}",
             &d));
    assert_diag(&d, 0, "puzzles[1].id", "duplicate puzzle id \"a\" (also puzzles[0])");
    assert_diag(&d, 0, "places[1].id", "duplicate place id \"p\"");
    assert_diag(&d, 0, "prizes[1].id", "duplicate prize id \"z\"");
    spur_diags_free(&d);
}

static void every_problem_is_reported_not_just_the_first(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(
        load("{'id':'Bad Id','starts_at':3,'ends_at':'2026-06-28T23:59:59Z',"
             "'guess_limit':0,'language':'fr','puzzles':["
             "{'id':'a','title':'A','points':-1},"
             "{'id':'b','title':'B','points':1.5,'answer':{'number':1,'tolerance':-2}},"
             "{'id':'c','title':'C','points':1,'answer':{'choices':['x','y'],'correct':2}},"
             "{'id':'d','title':'D','points':1,'answer':{'accept':['!?']}},"
             "{'id':'e','title':'E','points':1,'kind':'number','answer':{'accept':['e']}}]}",
             &d));
    assert_diag(&d, 0, "id", "\"id\" must be 1 to 64 characters");
    assert_diag(&d, 0, "", "missing required key \"title\"");
    assert_diag(&d, 0, "starts_at", "must be an RFC 3339 time string, not a number");
    assert_diag(&d, 0, "guess_limit", "between 1 and 64");
    assert_diag(&d, 0, "language", "\"de\" or \"en\"");
    assert_diag(&d, 0, "puzzles[0]", "missing required key \"answer\"");
    assert_diag(&d, 0, "puzzles[0].points", "between 0 and");
    assert_diag(&d, 0, "puzzles[1].points", "must be an integer");
    assert_diag(&d, 0, "puzzles[1].answer.tolerance", "must not be negative");
    assert_diag(&d, 0, "puzzles[2].answer.correct",
                "\"correct\" is 2 but the choices are numbered 0 to 1");
    assert_diag(&d, 0, "puzzles[3].answer.accept[0]", "empty after normalisation");
    assert_diag(&d, 0, "puzzles[4].kind",
                "\"kind\" is \"number\" but the answer is of kind \"text\"");
    assert_true(d.errors >= 12);
    spur_diags_free(&d);
}

static void answer_mixing_kinds_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD "'puzzles':[{'id':'a','title':'A','points':1,"
                     "'answer':{'accept':['x'],'number':3}}]}",
                     &d));
    assert_diag(&d, 0, "puzzles[0].answer", "mixes kinds");
    spur_diags_free(&d);
}

static void scan_puzzle_with_answer_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD PLACES "'puzzles':[{'id':'a','title':'A','points':1,'kind':'scan',"
                     "'place':'rathaus','answer':{'accept':['x']}}]}",
                     &d));
    assert_diag(&d, 0, "puzzles[0].answer", "has no \"answer\"");
    spur_diags_free(&d);
}

static void min_score_above_the_maximum_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD "'puzzles':[{'id':'a','title':'A','points':7,'answer':{'number':1}}],"
                     "'prizes':[{'id':'p','name':'P','count':0,'eligible':{'min_score':8}},"
                     "{'id':'q','name':'Q','count':'some','eligible':'everyone'}]}",
                     &d));
    assert_diag(&d, 0, "prizes[0].eligible.min_score", "above the highest possible score (7)");
    assert_diag(&d, 0, "prizes[0].count", "between 1 and");
    assert_diag(&d, 0, "prizes[1].count", "\"all\"");
    assert_diag(&d, 0, "prizes[1].eligible", "not \"everyone\"");
    spur_diags_free(&d);
}

static void unused_place_and_late_puzzle_are_warnings_only(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h = load("{" HEAD PLACES "'puzzles':[{'id':'a','title':'A','points':1,"
                          "'opens_at':'2026-07-01T00:00:00Z','answer':{'accept':['x']}}]}",
                          &d);
    assert_non_null(h);
    assert_int_equal(d.errors, 0);
    assert_diag(&d, 1, "places[0]", "place \"rathaus\" is not used by any puzzle");
    assert_diag(&d, 1, "puzzles[0].opens_at", "after \"ends_at\"");
    assert_int_equal(h->puzzles[0].opens_at, 1782864000);
    spur_hunt_free(h);
    spur_diags_free(&d);
}

static void answers_equal_after_normalisation_are_warnings_and_kept_once(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h =
        load("{" HEAD PLACES "'puzzles':[" SCAN ",{'id':'kaiser','title':'K','points':1,"
             "'answer':{'accept':['Barbarossa','Rotbart','barbarossa '],"
             "'partial':{'Friedrich':'Welcher?','ROTBART':'x','friedrich!':'y'}}}]}",
             &d);
    assert_non_null(h);
    assert_int_equal(d.errors, 0);
    assert_diag(&d, 1, "puzzles[1].answer.accept[2]",
                "puzzle \"kaiser\": the answers \"Barbarossa\" and \"barbarossa \" are the "
                "same after normalisation");
    assert_diag(&d, 1, "puzzles[1].answer.partial.ROTBART", "\"Rotbart\" and \"ROTBART\"");
    assert_diag(&d, 1, "puzzles[1].answer.partial[\"friedrich!\"]",
                "\"Friedrich\" and \"friedrich!\"");
    assert_int_equal(h->puzzles[1].naccept, 2);
    assert_int_equal(h->puzzles[1].npartial, 1); /* an accepted answer wins over a partial */
    spur_hunt_free(h);
    spur_diags_free(&d);
}

static void partial_key_that_is_not_a_word_gets_a_quoted_path(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD "'puzzles':[{'id':'a','title':'A','points':1,"
                     "'answer':{'accept':['x'],'partial':{'Fr. X':''}}}]}",
                     &d));
    assert_diag(&d, 0, "puzzles[0].answer.partial[\"Fr. X\"]", "non-empty string");
    spur_diags_free(&d);
}

static void diag_paths_locate_in_the_file(void **state)
{
    (void)state;
    /* the tool's path: loader path -> spur_json_locate -> FILE:LINE:COL */
    const char *text =
        "{\"id\": \"h\", \"title\": \"T\",\n"
        " \"starts_at\": \"2026-06-18T10:00:00Z\", \"ends_at\": \"2026-06-19T10:00:00Z\",\n"
        " \"puzzles\": [\n"
        "  {\"id\": \"a\", \"title\": \"A\", \"points\": 1, \"requries\": [],\n"
        "   \"answer\": {\"accept\": [\"x\"]}}]}\n";
    spur_diags_t d = {0};
    cJSON *root = spur_json_parse(text, strlen(text), NULL, 0, NULL);
    assert_non_null(root);
    assert_null(spur_hunt_from_json(root, &d));
    assert_int_equal(d.n, 1);
    int line, col;
    assert_int_equal(spur_json_locate(text, strlen(text), d.items[0].path, &line, &col), 0);
    assert_int_equal(line, 4);
    assert_int_equal(col, 54);
    cJSON_Delete(root);
    spur_diags_free(&d);
}

static void non_object_root_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("[1]", &d));
    assert_diag(&d, 0, "", "must be a JSON object");
    assert_null(load("{}", NULL)); /* diags may be NULL */
    spur_diags_free(&d);
}

static void underscore_keys_are_comments_everywhere(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h =
        load("{'_comment':'x'," HEAD "'places':[{'id':'rathaus','name':'R','_where':{'a':1}}],"
             "'puzzles':[" SCAN ",{'id':'b','title':'B','points':2,'_n':[1],"
             "'answer':{'accept':['ja'],'_a':1,'partial':{'j':'fast','_p':2}},"
             "'hints':[{'text':'t','_c':null}]}],"
             "'prizes':[{'id':'p','name':'P','count':1,'_c':0,"
             "'eligible':{'min_score':1,'_c':0}}]}",
             &d);
    assert_non_null(h);
    assert_int_equal(d.n, 0);
    assert_int_equal(h->puzzles[1].npartial, 1); /* the "_p" comment is not an answer */
    spur_hunt_free(h);
    spur_diags_free(&d);
}

static void puzzle_behind_a_never_opening_one_is_a_warning(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h =
        load("{" HEAD "'puzzles':["
             "{'id':'a','title':'A','points':1,'opens_at':'2026-07-01T00:00:00Z',"
             "'answer':{'number':1}},"
             "{'id':'b','title':'B','points':1,'requires':['a'],'answer':{'number':1}},"
             "{'id':'c','title':'C','points':1,'requires':['x','b'],"
             "'answer':{'number':1}}]}",
             &d);
    assert_null(h); /* "x" is unknown */
    assert_diag(&d, 1, "puzzles[1].requires[0]", "requires \"a\", which never opens");
    assert_diag(&d, 1, "puzzles[2].requires[1]", "no team can reach puzzle \"c\"");
    spur_diags_free(&d);
}

static void prizes_no_team_can_win_are_errors(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD "'puzzles':[],'prizes':[{'id':'u','name':'U','count':'all',"
                     "'eligible':'finished'},{'id':'v','name':'V','count':1}]}",
                     &d));
    assert_diag(&d, 0, "prizes[0].eligible", "no team can finish a hunt without puzzles");
    assert_diag(&d, 0, "prizes[1]", "no team can score a point");
    spur_diags_free(&d);

    /* the points of a puzzle that never opens cannot be reached */
    assert_null(load("{" HEAD "'puzzles':[{'id':'a','title':'A','points':5,'answer':{'number':1}},"
                     "{'id':'b','title':'B','points':5,'opens_at':'2026-07-01T00:00:00Z',"
                     "'answer':{'number':1}}],'prizes':[{'id':'u','name':'U','count':'all',"
                     "'eligible':'finished'},{'id':'m','name':'M','count':1,"
                     "'eligible':{'min_score':6}}]}",
                     &d));
    assert_diag(&d, 0, "prizes[0].eligible", "puzzle \"b\" never opens");
    assert_diag(&d, 0, "prizes[1].eligible.min_score", "highest possible score (5)");
    spur_diags_free(&d);
}

static int collect_path(spur_image_t *img, const char *path, void *data)
{
    char *out = data;
    strcat(out, path);
    strcat(out, "=");
    strcat(out, img->file);
    strcat(out, " ");
    return 0;
}

static void pictures_are_read_with_their_alt_text_and_visited_in_order(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    char seen[256] = "";
    spur_hunt_t *h =
        load("{" HEAD "'branding':{'logo':{'file':'logo.png','alt':'Wappen'}},"
             "'places':[{'id':'rathaus','name':'Rathaus','image':{'file':'bilder/r.jpg',"
             "'alt':'Der Platz'}}],'puzzles':[" SCAN ",{'id':'b','title':'B','points':1,"
             "'image':{'file':'b.jpg','alt':'Ein Brunnen'},'answer':{'number':1}}]}",
             &d);
    assert_non_null(h);
    assert_int_equal(d.errors, 0);
    assert_null(h->puzzles[0].image);
    assert_string_equal(h->puzzles[1].image->file, "b.jpg");
    assert_string_equal(h->puzzles[1].image->alt, "Ein Brunnen");
    assert_null(h->puzzles[1].image->key); /* the store fills in its copy */
    assert_string_equal(h->places[0].image->alt, "Der Platz");
    assert_string_equal(h->brand_logo->file, "logo.png");
    assert_int_equal(spur_hunt_each_image(h, collect_path, seen), 0);
    assert_string_equal(seen, "puzzles[1].image=b.jpg places[0].image=bilder/r.jpg "
                              "branding.logo=logo.png ");
    spur_hunt_free(h);
    spur_diags_free(&d);
}

static void a_picture_without_alt_or_with_a_bad_path_is_an_error(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    assert_null(load("{" HEAD "'branding':{'logo':{'file':'/etc/logo.png','alt':'L'}},"
                     "'places':[{'id':'rathaus','name':'Rathaus','image':{'file':'r.jpg'}}],"
                     "'puzzles':[" SCAN ",{'id':'b','title':'B','points':1,'image':{'file':"
                     "'a\\\\b.jpg','alt':'  ','size':3},'answer':{'number':1}},"
                     "{'id':'c','title':'C','points':1,'image':'c.jpg','answer':{'number':1}}]}",
                     &d));
    assert_diag(&d, 0, "places[0].image", "a picture needs \"alt\"");
    assert_diag(&d, 0, "puzzles[1].image.alt", "a picture needs \"alt\"");
    assert_diag(&d, 0, "puzzles[1].image.file", "relative to the hunt file");
    assert_diag(&d, 0, "puzzles[1].image.size", "unknown key \"size\"");
    assert_diag(&d, 0, "puzzles[2].image", "must be an object");
    assert_diag(&d, 0, "branding.logo.file", "relative to the hunt file");
    spur_diags_free(&d);
}

static void the_map_defaults_to_openstreetmap_and_takes_an_https_template(void **state)
{
    (void)state;
    spur_diags_t d = {0};
    spur_hunt_t *h = load("{" HEAD PLACES "'puzzles':[" SCAN "]}", &d);
    assert_non_null(h);
    assert_string_equal(h->map_tiles, SPUR_MAP_TILES);
    assert_string_equal(h->map_attribution, SPUR_MAP_ATTRIBUTION);
    spur_hunt_free(h);
    h = load("{" HEAD PLACES "'map':{'tiles':'https://{s}.tile.example.org/{z}/{x}/{y}{r}.png',"
             "'attribution':'Karte: Stadt'},'puzzles':[" SCAN "]}",
             &d);
    assert_non_null(h);
    assert_string_equal(h->map_attribution, "Karte: Stadt");
    spur_hunt_free(h);
    h = load("{" HEAD PLACES "'map':{'tiles':'https://k.example.org/{z}/{x}/{y}.png'},"
             "'puzzles':[" SCAN "]}",
             &d);
    assert_non_null(h); /* a missing credit line is only a warning */
    assert_string_equal(h->map_attribution, "");
    assert_diag(&d, 1, "map", "tiles without \"attribution\"");
    spur_hunt_free(h);
    spur_diags_free(&d);
    d = (spur_diags_t){0};
    assert_null(load("{" HEAD PLACES "'map':{'tiles':'http://k.example.org/{z}/{x}/{y}.png',"
                     "'attribution':'A'},'puzzles':[" SCAN "]}",
                     &d));
    assert_diag(&d, 0, "map.tiles", "https address with {z}, {x} and {y}");
    assert_null(load("{" HEAD PLACES "'map':{'tiles':'https://k.example.org/{z}/{x}/{y}?{key}',"
                     "'attribution':'A'},'puzzles':[" SCAN "]}",
                     &d));
    assert_null(load("{" HEAD PLACES "'map':{'tiles':'https://k.example.org/{z}/{x}.png',"
                     "'attribution':'A'},'puzzles':[" SCAN "]}",
                     &d));
    assert_null(load("{" HEAD PLACES "'map':'osm','puzzles':[" SCAN "]}", &d));
    assert_diag(&d, 0, "map", "must be an object");
    spur_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_hunt_loads_with_resolved_ids_and_normalised_answers),
        cmocka_unit_test(pictures_are_read_with_their_alt_text_and_visited_in_order),
        cmocka_unit_test(a_picture_without_alt_or_with_a_bad_path_is_an_error),
        cmocka_unit_test(the_map_defaults_to_openstreetmap_and_takes_an_https_template),
        cmocka_unit_test(unknown_key_is_an_error_with_a_suggestion),
        cmocka_unit_test(unknown_key_without_a_close_match_has_no_suggestion),
        cmocka_unit_test(requires_cycle_is_an_error),
        cmocka_unit_test(requires_unknown_puzzle_is_an_error),
        cmocka_unit_test(missing_place_is_an_error),
        cmocka_unit_test(bad_time_is_an_error),
        cmocka_unit_test(ends_before_start_and_freeze_outside_are_errors),
        cmocka_unit_test(duplicate_ids_are_errors),
        cmocka_unit_test(every_problem_is_reported_not_just_the_first),
        cmocka_unit_test(answer_mixing_kinds_is_an_error),
        cmocka_unit_test(scan_puzzle_with_answer_is_an_error),
        cmocka_unit_test(min_score_above_the_maximum_is_an_error),
        cmocka_unit_test(unused_place_and_late_puzzle_are_warnings_only),
        cmocka_unit_test(answers_equal_after_normalisation_are_warnings_and_kept_once),
        cmocka_unit_test(partial_key_that_is_not_a_word_gets_a_quoted_path),
        cmocka_unit_test(diag_paths_locate_in_the_file),
        cmocka_unit_test(non_object_root_is_an_error),
        cmocka_unit_test(underscore_keys_are_comments_everywhere),
        cmocka_unit_test(puzzle_behind_a_never_opening_one_is_a_warning),
        cmocka_unit_test(prizes_no_team_can_win_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
