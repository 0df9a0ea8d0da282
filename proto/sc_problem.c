/* Problem details (RFC 9457): the slug table and the JSON rendering.
 * See sc_problem.h. */
#include "sc_problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct problem_kind {
    int status;
    const char *slug;
    const char *title;
} problem_kind;

/* The slugs; the first row of a status is its default.
 *
 * Decision: a problem's type is "urn:scoracle:problem:<slug>", a URN
 * rather than a URL: nothing needs hosting, and a client dispatches on
 * the slug (the clients map each to an exception class).  The title is
 * fixed per slug; the detail says what went wrong with this request, and
 * errors[] names the field. */
static const problem_kind kinds[] = {
    {400, "malformed-request", "Malformed request"},
    {401, "unauthorized", "Unauthorized"},
    {403, "forbidden", "Forbidden"},
    {404, "not-found", "Not found"},
    {405, "method-not-allowed", "Method not allowed"},
    {409, "conflict", "Conflict"},
    {413, "payload-too-large", "Payload too large"},
    {415, "unsupported-media-type", "Unsupported media type"},
    {422, "invalid-parameters", "Invalid parameters"},
    {429, "budget-exhausted", "Budget exhausted"},
    {429, "rate-limited", "Rate limited"},
    {500, "internal", "Internal error"},
    {503, "overloaded", "Overloaded"},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static const problem_kind *kind_of(int status, const char *slug)
{
    for (size_t i = 0; slug != NULL && i < NKINDS; i++)
        if (strcmp(kinds[i].slug, slug) == 0)
            return &kinds[i];
    for (size_t i = 0; i < NKINDS; i++)
        if (kinds[i].status == status)
            return &kinds[i];
    return &kinds[0];
}

static void problem_init(sc_problem *pb, int status, const char *slug)
{
    const problem_kind *k = kind_of(status, slug);
    memset(pb, 0, sizeof *pb);
    pb->status = status;
    pb->slug = slug != NULL ? slug : k->slug;
    pb->title = k->title;
}

int sc_problem_set(sc_problem *pb, int status, const char *slug,
                   const char *fmt, ...)
{
    va_list ap;
    problem_init(pb, status, slug);
    va_start(ap, fmt);
    vsnprintf(pb->detail, sizeof pb->detail, fmt, ap);
    va_end(ap);
    return -1;
}

int sc_problem_field(sc_problem *pb, int status, const char *field,
                     const char *fmt, ...)
{
    va_list ap;
    problem_init(pb, status, NULL);
    snprintf(pb->errors[0].field, sizeof pb->errors[0].field, "%s", field);
    va_start(ap, fmt);
    vsnprintf(pb->errors[0].message, sizeof pb->errors[0].message, fmt, ap);
    va_end(ap);
    pb->nerrors = 1;
    snprintf(pb->detail, sizeof pb->detail, "%s", pb->errors[0].message);
    return -1;
}

/* Texts may quote request bytes (an unknown field's name, a token near a
 * syntax error) or end in a multi-byte character cut by truncation; a
 * JSON string must be valid UTF-8, so such a text falls back to ASCII. */
static json_t *text_json(const char *s)
{
    json_t *j = json_string(s);
    if (j == NULL) {
        char ascii[256];
        size_t n = 0;
        for (; s[n] != '\0' && n + 1 < sizeof ascii; n++)
            ascii[n] = (unsigned char)s[n] < 0x80 ? s[n] : '?';
        ascii[n] = '\0';
        j = json_string(ascii);
    }
    return j;
}

static json_t *errors_json(const sc_problem *pb)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < pb->nerrors; i++) {
        json_t *e = json_object();
        if (e == NULL ||
            json_object_set_new(e, "field", text_json(pb->errors[i].field)) ||
            json_object_set_new(e, "message",
                                text_json(pb->errors[i].message))) {
            json_decref(e); /* not arr's yet: ours to free */
            json_decref(arr);
            return NULL;
        }
        if (json_array_append_new(arr, e)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *sc_problem_json(const sc_problem *pb)
{
    char type[96];
    json_t *o = json_object();
    snprintf(type, sizeof type, "urn:scoracle:problem:%s",
             pb->slug != NULL ? pb->slug : kind_of(pb->status, NULL)->slug);
    if (o == NULL || json_object_set_new(o, "type", json_string(type)) ||
        json_object_set_new(o, "title", json_string(pb->title != NULL
                                                        ? pb->title
                                                        : "Error")) ||
        json_object_set_new(o, "status", json_integer(pb->status)) ||
        json_object_set_new(o, "detail", text_json(pb->detail)) ||
        (pb->nerrors > 0 &&
         json_object_set_new(o, "errors", errors_json(pb)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}
