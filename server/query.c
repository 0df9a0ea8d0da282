/*
 * Strict query strings (query.h).
 *
 * Decision: a query parameter the server does not read is an error, not
 * noise.  `POST .../score?time=0.1` once answered t = 0 scores without a
 * word; a researcher cannot tell a misspelt parameter from a right one
 * by the numbers.  So every route declares the names it reads (a route
 * absent from the table reads none), a name given twice is refused
 * rather than resolved by MHD's first-wins lookup, and the answer is a
 * 422 whose errors[0].field names the parameter.
 */
#include <stdio.h>
#include <string.h>

#include "query.h"
#include "req_state.h"

#define MAX_NAMES 5

typedef struct query_spec {
    const char *path; /* the route template, as in sc_routes */
    const char *names[MAX_NAMES]; /* NULL-terminated when shorter */
} query_spec;

static const query_spec specs[] = {
    {"/v1/instances/{id}/score", {"t"}},
    {"/v1/instances/{id}/logpdf", {"t"}},
    {"/v1/leaderboard", {"kind", "preset", "board", "season", "limit"}},
    {"/v1/challenges/{id}", {"eval"}},
    {"/v1/challenges/{id}/rounds/{index}/eval", {"part"}},
};

typedef struct walk {
    const query_spec *spec;
    unsigned seen; /* bit i: names[i] was given */
    sc_problem *pb;
} walk;

static const query_spec *spec_of(const char *path)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (strcmp(specs[i].path, path) == 0)
            return &specs[i];
    return NULL;
}

/* The index of name among the spec's names, or -1. */
static int name_index(const query_spec *s, const char *name)
{
    for (int i = 0; s != NULL && i < MAX_NAMES && s->names[i] != NULL; i++)
        if (strcmp(s->names[i], name) == 0)
            return i;
    return -1;
}

/* "t, limit" for the detail of an unknown parameter. */
static void list_names(const query_spec *s, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; s != NULL && i < MAX_NAMES && s->names[i] != NULL &&
                    used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s",
                                 used > 0 ? ", " : "", s->names[i]);
}

static enum MHD_Result check_one(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
    walk *w = cls;
    (void)kind;
    int i = name_index(w->spec, key);
    if (i < 0) {
        char names[96];
        list_names(w->spec, names, sizeof names);
        sc_problem_field(w->pb, 422, key, "unknown query parameter %.60s; "
                         "this call takes %s", key,
                         names[0] != '\0' ? names : "none");
        return MHD_NO;
    }
    if (w->seen & (1u << i)) {
        sc_problem_field(w->pb, 422, key, "the query parameter %s is given "
                         "more than once", key);
        return MHD_NO;
    }
    if (value == NULL) {
        sc_problem_field(w->pb, 422, key, "the query parameter %s needs a "
                         "value (%s=...)", key, key);
        return MHD_NO;
    }
    w->seen |= 1u << i;
    return MHD_YES;
}

int sc_query_check(const sc_req *r, sc_problem *pb)
{
    walk w = {spec_of(r->route->path), 0, pb};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_one,
                              &w);
    return pb->status != 0 ? -1 : 0;
}
