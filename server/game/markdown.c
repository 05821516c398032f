/* CommonMark to safe HTML with cmark (docs: puzzles/README.md, "Formatting").
 *
 * cmark's default rendering already drops raw HTML and blanks javascript: URLs; this
 * file goes further because the result is put into the app with innerHTML:
 *   - raw HTML (blocks and inline) becomes literal text, so an organizer who typed
 *     "<b>" sees it rather than losing words silently;
 *   - a link stays a link only for http, https and mailto (an allowlist, not cmark's
 *     denylist); any other link is replaced by its text;
 *   - an image becomes its alt text: pictures from other hosts would tell them who
 *     plays and cost data on 3G;
 *   - every remaining <a> opens in a new tab with rel="noopener", so a link neither
 *     replaces the running game nor gets a handle on it.
 * The tree is rewritten before rendering; the one string edit afterwards relies on
 * cmark escaping every "<" of text, so each "<a href=" in its output is a real tag. */
#include "markdown.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "core/mem.h"

/* Nodes are collected first and rewritten after the walk: cmark's iterator must
 * not see the tree change under it. */
typedef struct {
    cmark_node **items;
    size_t n, cap;
} node_list_t;

static void list_push(node_list_t *ls, cmark_node *node)
{
    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? 2 * ls->cap : 16;
        ls->items = spur_realloc(ls->items, ls->cap * sizeof(*ls->items));
    }
    ls->items[ls->n++] = node;
}

static int url_allowed(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0 ||
                   strncasecmp(url, "mailto:", 7) == 0);
}

/* The plain text below node (as cmark writes an image's alt attribute). */
static void plain_text(cmark_node *node, spur_buf_t *out)
{
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *cur = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(cur)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE:
            spur_buf_puts(out, cmark_node_get_literal(cur));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            spur_buf_puts(out, " ");
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

static cmark_node *text_node(const char *literal)
{
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, literal);
    return t;
}

/* An image is replaced by a text node of its description. */
static void image_to_text(cmark_node *img)
{
    spur_buf_t alt = {0};
    plain_text(img, &alt);
    cmark_node_replace(img, text_node(alt.data ? alt.data : ""));
    cmark_node_free(img);
    spur_buf_free(&alt);
}

/* A link is replaced by its children (its text, possibly emphasised). */
static void unwrap(cmark_node *link)
{
    cmark_node *child;
    while ((child = cmark_node_first_child(link)))
        cmark_node_insert_before(link, child); /* unlinks child from link */
    cmark_node_free(link);
}

/* Raw HTML is shown as the text it is: inline as a text node, a block as a
 * paragraph of its lines (soft breaks between them). */
static void html_to_text(cmark_node *html)
{
    const char *lit = cmark_node_get_literal(html);
    if (cmark_node_get_type(html) == CMARK_NODE_HTML_INLINE) {
        cmark_node_replace(html, text_node(lit ? lit : ""));
    } else {
        cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
        const char *s = lit ? lit : "";
        while (*s) {
            size_t n = strcspn(s, "\n");
            char *line = spur_strndup(s, n);
            if (cmark_node_first_child(para))
                cmark_node_append_child(para, cmark_node_new(CMARK_NODE_SOFTBREAK));
            cmark_node_append_child(para, text_node(line));
            free(line);
            s += n;
            if (*s == '\n')
                s++;
        }
        cmark_node_replace(html, para);
    }
    cmark_node_free(html);
}

static void make_safe(cmark_node *doc)
{
    node_list_t images = {0}, links = {0}, html = {0};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *cur = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(cur)) {
        case CMARK_NODE_IMAGE:
            list_push(&images, cur);
            break;
        case CMARK_NODE_LINK:
            if (!url_allowed(cmark_node_get_url(cur)))
                list_push(&links, cur);
            break;
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            list_push(&html, cur);
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    /* Images first, outermost first (document order): replacing an image frees
       everything below it, including images, links and HTML inside its description,
       so those are dropped from the later lists before they are touched. */
    for (size_t i = 0; i < images.n; i++) {
        if (!images.items[i])
            continue;
        for (size_t j = i + 1; j < images.n; j++)
            for (cmark_node *p = images.items[j] ? cmark_node_parent(images.items[j]) : NULL; p;
                 p = cmark_node_parent(p))
                if (p == images.items[i]) {
                    images.items[j] = NULL;
                    break;
                }
        node_list_t *others[2] = {&links, &html};
        for (int k = 0; k < 2; k++)
            for (size_t j = 0; j < others[k]->n; j++)
                for (cmark_node *p = others[k]->items[j] ? cmark_node_parent(others[k]->items[j])
                                                         : NULL;
                     p; p = cmark_node_parent(p))
                    if (p == images.items[i]) {
                        others[k]->items[j] = NULL;
                        break;
                    }
        image_to_text(images.items[i]);
    }
    /* Unwrapping a link moves its children, it frees none of them. */
    for (size_t i = 0; i < links.n; i++)
        if (links.items[i])
            unwrap(links.items[i]);
    for (size_t i = 0; i < html.n; i++)
        if (html.items[i])
            html_to_text(html.items[i]);
    free(images.items);
    free(links.items);
    free(html.items);
}

/* Inserts the new-tab attributes into every link cmark wrote. */
static char *add_link_attributes(const char *html)
{
    static const char tag[] = "<a href=\"";
    static const char with[] = "<a target=\"_blank\" rel=\"noopener\" href=\"";
    spur_buf_t out = {0};
    const char *s = html, *hit;

    while ((hit = strstr(s, tag))) {
        spur_buf_append(&out, s, (size_t)(hit - s));
        spur_buf_puts(&out, with);
        s = hit + sizeof(tag) - 1;
    }
    spur_buf_puts(&out, s);
    return spur_buf_steal(&out, NULL);
}

char *spur_markdown_html(const char *text, size_t len)
{
    cmark_node *doc;
    char *raw, *html;

    if (!text || len == 0)
        return spur_strdup("");
    /* CMARK_OPT_DEFAULT is safe rendering; never CMARK_OPT_UNSAFE. */
    doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    if (!doc) /* cmark's allocator aborts on out of memory itself; this is belt and braces */
        abort();
    make_safe(doc);
    raw = cmark_render_html(doc, CMARK_OPT_DEFAULT);
    cmark_node_free(doc);
    if (!raw)
        abort();
    html = add_link_attributes(raw);
    free(raw);
    return html;
}

/* ---- plain text for print ---------------------------------------------------------
 * One walk with cmark's iterator; nothing is rewritten. Line breaks between blocks
 * are owed rather than written: a block that ends sets how many newlines the next
 * content needs, so nothing trails and nothing leads. */

#define PLAIN_INDENT_MAX 4 /* nesting levels of lists that are indented further */

typedef struct {
    spur_buf_t out;
    int owed;          /* newlines the next content starts with (none at the start) */
    int image_depth;   /* > 0 inside an image's description */
    int in_link;       /* a link (outside images) is being walked */
    size_t link_start; /* out.len where its text began, SIZE_MAX before it has any */
    long *numbers;     /* per open list: the next item's number, or -1 when bulleted */
    size_t depth, cap; /* open lists */
} plain_t;

static void plain_owe(plain_t *pl, int n)
{
    if (pl->owed < n)
        pl->owed = n;
}

/* Pays the owed newlines before content (none when nothing was written yet). */
static void plain_start(plain_t *pl)
{
    if (pl->out.len)
        for (; pl->owed > 0; pl->owed--)
            spur_buf_puts(&pl->out, "\n");
    pl->owed = 0;
}

/* Appends n bytes of s without control characters other than tab and newline: print
 * has no glyph for them (a pasted form feed, a stray NUL turned into U+FFFD stays). */
static void put_clean(spur_buf_t *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : 0;
        if (i < n && (c >= 0x20 || c == '\t' || c == '\n') && c != 0x7f)
            continue;
        spur_buf_append(b, s + from, i - from);
        from = i + 1;
    }
}

static void plain_put(plain_t *pl, const char *s)
{
    spur_buf_t clean = {0};
    if (!s || !*s)
        return;
    put_clean(&clean, s, strlen(s));
    if (clean.len) { /* only control characters: nothing to pay the owed newlines for */
        plain_start(pl);
        /* owed newlines are not part of a link's text; and a link without text owes
           them still, so nothing trails */
        if (pl->in_link && pl->link_start == SIZE_MAX)
            pl->link_start = pl->out.len;
        spur_buf_append(&pl->out, clean.data, clean.len);
    }
    spur_buf_free(&clean);
}

/* The blank line after a block; a single newline inside a tight list's item. */
static void plain_block_end(plain_t *pl, cmark_node *node)
{
    cmark_node *item = cmark_node_parent(node);
    int tight = item && cmark_node_get_type(item) == CMARK_NODE_ITEM && cmark_node_parent(item) &&
                cmark_node_get_list_tight(cmark_node_parent(item));
    plain_owe(pl, tight ? 1 : 2);
}

static void plain_item(plain_t *pl, cmark_node *item)
{
    cmark_node *list = cmark_node_parent(item);
    int tight = list && cmark_node_get_list_tight(list);
    size_t indent = pl->depth > 1 ? pl->depth - 1 : 0;
    long *number = pl->depth ? &pl->numbers[pl->depth - 1] : NULL;

    /* a new item always starts a line, also as the first thing in its parent item */
    plain_owe(pl, tight ? 1 : 2);
    plain_start(pl);
    if (indent > PLAIN_INDENT_MAX)
        indent = PLAIN_INDENT_MAX;
    for (size_t i = 0; i < indent; i++)
        spur_buf_puts(&pl->out, "  ");
    if (number && *number >= 0)
        spur_buf_printf(&pl->out, "%ld%c ", (*number)++,
                        list && cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.');
    else
        spur_buf_puts(&pl->out, "• ");
}

static void plain_list_enter(plain_t *pl, cmark_node *list)
{
    if (pl->depth == pl->cap) {
        pl->cap = pl->cap ? 2 * pl->cap : 8;
        pl->numbers = spur_realloc(pl->numbers, pl->cap * sizeof(*pl->numbers));
    }
    pl->numbers[pl->depth++] =
        cmark_node_get_list_type(list) == CMARK_ORDERED_LIST ? cmark_node_get_list_start(list) : -1;
}

/* " (URL)" after a link's text, for the addresses a reader can use. */
static void plain_link_end(plain_t *pl, cmark_node *link)
{
    const char *url = cmark_node_get_url(link), *shown;
    size_t text_len = pl->link_start == SIZE_MAX ? 0 : pl->out.len - pl->link_start;

    if (!url_allowed(url))
        return;
    shown = strncasecmp(url, "mailto:", 7) == 0 ? url + 7 : url;
    if (!*shown)
        return;
    if (text_len == strlen(shown) && memcmp(pl->out.data + pl->link_start, shown, text_len) == 0)
        return;
    if (text_len == strlen(url) && memcmp(pl->out.data + pl->link_start, url, text_len) == 0)
        return;
    if (text_len) {
        spur_buf_puts(&pl->out, " (");
        put_clean(&pl->out, shown, strlen(shown));
        spur_buf_puts(&pl->out, ")");
    } else {
        plain_put(pl, shown);
    }
}

static void plain_code_block(plain_t *pl, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    spur_buf_t clean = {0};
    /* cleaned first: a block that ends in control characters must not leave the
       newlines before them trailing */
    put_clean(&clean, lit ? lit : "", lit ? strlen(lit) : 0);
    while (clean.len > 0 && clean.data[clean.len - 1] == '\n')
        clean.len--;
    if (clean.len) {
        plain_start(pl);
        spur_buf_append(&pl->out, clean.data, clean.len);
    }
    spur_buf_free(&clean);
    plain_block_end(pl, node);
}

static void plain_node(plain_t *pl, cmark_event_type ev, cmark_node *cur)
{
    int enter = ev == CMARK_EVENT_ENTER;

    switch (cmark_node_get_type(cur)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        plain_put(pl, cmark_node_get_literal(cur));
        break;
    case CMARK_NODE_SOFTBREAK:
        plain_put(pl, " ");
        break;
    case CMARK_NODE_LINEBREAK: /* owed: one that ends a link's text must not trail */
        if (pl->image_depth)
            plain_put(pl, " ");
        else
            plain_owe(pl, 1);
        break;
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING:
        if (!enter)
            plain_block_end(pl, cur);
        break;
    case CMARK_NODE_CODE_BLOCK:
        plain_code_block(pl, cur);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        plain_put(pl, "———");
        plain_block_end(pl, cur);
        break;
    case CMARK_NODE_LIST:
        if (enter) {
            plain_list_enter(pl, cur);
        } else {
            pl->depth--;
            plain_block_end(pl, cur);
        }
        break;
    case CMARK_NODE_ITEM:
        if (enter)
            plain_item(pl, cur);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
        if (!enter)
            plain_block_end(pl, cur);
        break;
    case CMARK_NODE_IMAGE:
        pl->image_depth += enter ? 1 : -1;
        break;
    case CMARK_NODE_LINK:
        if (pl->image_depth)
            break; /* a description is text only */
        if (enter) {
            pl->in_link = 1;
            pl->link_start = SIZE_MAX; /* set by the link's first text */
        } else {
            pl->in_link = 0;
            plain_link_end(pl, cur);
        }
        break;
    default: /* raw HTML (never printed), emphasis, the document */
        break;
    }
}

char *spur_markdown_plain(const char *text, size_t len)
{
    plain_t pl = {0};
    cmark_node *doc;
    cmark_iter *it;
    cmark_event_type ev;

    if (!text || len == 0)
        return spur_strdup("");
    doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    if (!doc)
        abort();
    it = cmark_iter_new(doc);
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        plain_node(&pl, ev, cmark_iter_get_node(it));
    cmark_iter_free(it);
    cmark_node_free(doc);
    free(pl.numbers);
    if (!pl.out.data)
        return spur_strdup("");
    return spur_buf_steal(&pl.out, NULL);
}
