/* libFuzzer target for the hunt loader: strict parse, spur_hunt_from_json, then
 * checks that every diagnostic's path locates in the text (spur_json_locate_many
 * where spur_json_locate does), and that a loaded
 * hunt's indices are in range and its accepted answers judge as correct. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "game/answer.h"
#include "game/hunt.h"

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
        spur_hunt_free(h);
        spur_diags_free(&d);
        cJSON_Delete(root);
    }
    free(text);
    return 0;
}
