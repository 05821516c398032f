/* libFuzzer target for the hunt loader: strict parse, spur_hunt_from_json, then
 * checks that every diagnostic's path locates in the text (spur_json_locate_many
 * where spur_json_locate does), and that a loaded
 * hunt's indices are in range and its accepted answers judge as correct. Also the
 * change listing of a save (office/changes.c): a file compared with itself has no
 * change, and compared with a small fixed hunt every change has its text. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "game/answer.h"
#include "game/hunt.h"
#include "office/changes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_hunt(const spur_hunt_t *h)
{
    for (size_t i = 0; i < h->npuzzles; i++) {
        const spur_puzzle_t *p = &h->puzzles[i];
        assert(p->place >= -1 && p->place < (int)h->nplaces);
        for (size_t k = 0; k < p->nrequires; k++)
            assert(p->requires[k] >= 0 &&
                       p->requires[k] < (int)h -> npuzzles && p -> requires[k] != (int)i);
        for (size_t k = 0; k < p->naccept; k++) {
            const char *msg;
            char *norm = NULL;
            spur_verdict_t v =
                spur_answer_judge(p, p->accept[k], strlen(p->accept[k]), &msg, &norm);
            assert(strlen(p->accept[k]) > SPUR_ANSWER_MAX || v == SPUR_VERDICT_CORRECT);
            free(norm);
        }
        if (p->kind == SPUR_KIND_CHOICE) {
            assert(p->correct >= 0 && (size_t)p->correct < p->nchoices);
            const char *c = p->choices[p->correct];
            if (strlen(c) <= SPUR_ANSWER_MAX)
                assert(spur_answer_judge(p, c, strlen(c), NULL, NULL) == SPUR_VERDICT_CORRECT);
        }
        if (p->kind == SPUR_KIND_SCAN)
            assert(p->place >= 0);
    }
    assert(spur_hunt_puzzle_index(h, h->npuzzles ? h->puzzles[0].id : "x") <= 0);
}

static int some_solves(const char *id, void *data)
{
    (void)data;
    return (int)(strlen(id) % 3);
}

static void check_changes(const cJSON *root)
{
    static const char base[] =
        "{\"id\":\"h\",\"title\":\"T\",\"places\":[{\"id\":\"a\"}],"
        "\"puzzles\":[{\"id\":\"p\",\"points\":1},{\"id\":\"q\"}],\"prizes\":[]}";
    cJSON *b = cJSON_Parse(base);
    spur_changes_t c;
    spur_changes_diff(&c, root, root, some_solves, NULL, 1);
    assert(c.n == 0 && c.nw == 0);
    spur_changes_free(&c);
    for (int dir = 0; dir < 2; dir++) {
        spur_changes_diff(&c, dir ? b : root, dir ? root : b, some_solves, NULL, dir);
        for (size_t i = 0; i < c.n; i++) {
            char *t = spur_change_text(&c.v[i], dir);
            assert(t && *t);
            free(t);
        }
        for (size_t i = 0; i < c.nw; i++)
            assert(c.w[i].de && c.w[i].en && c.w[i].id);
        free(spur_changes_summary(&c, dir));
        spur_changes_free(&c);
    }
    cJSON_Delete(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    cJSON *root = spur_json_parse(text, size, NULL, 0, NULL);
    if (root) {
        spur_diags_t d = {0};
        spur_hunt_t *h = spur_hunt_from_json(root, &d);
        assert((h != NULL) == (d.errors == 0));
        const char **paths = calloc(d.n ? d.n : 1, sizeof *paths);
        int *lines = calloc(d.n ? d.n : 1, sizeof *lines);
        int *cols = calloc(d.n ? d.n : 1, sizeof *cols);
        for (size_t i = 0; i < d.n; i++)
            paths[i] = d.items[i].path;
        assert(spur_json_locate_many(text, size, paths, d.n, lines, cols) == 0);
        for (size_t i = 0; i < d.n; i++) {
            int line, col;
            assert(spur_json_locate(text, size, d.items[i].path, &line, &col) == 0);
            /* the one-walk locate used by spur check and the editor agrees */
            assert(lines[i] == line && cols[i] == col);
        }
        free(paths);
        free(lines);
        free(cols);
        if (h)
            check_hunt(h);
        check_changes(root);
        spur_hunt_free(h);
        spur_diags_free(&d);
        cJSON_Delete(root);
    }
    free(text);
    return 0;
}
