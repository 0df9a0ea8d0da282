/* Family parameters on the wire: a walk over the family's spec table in
 * both directions.  See sc_wire.h. */
#include "sc_wire.h"
#include "sc_wire_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sc_commit.h"

static const sc_param_spec *spec_named(const sc_family *fam,
                                       const char *name)
{
    for (size_t i = 0; i < fam->nspec; i++)
        if (strcmp(fam->spec[i].name, name) == 0)
            return &fam->spec[i];
    return NULL;
}

static bool skipped(const char *const *skip, const char *name)
{
    for (size_t i = 0; skip != NULL && skip[i] != NULL; i++)
        if (strcmp(skip[i], name) == 0)
            return true;
    return false;
}

/* "unknown field x; family pancakes takes dim, gamma, sigma, components" */
static int unknown_member(const sc_family *fam, const char *key,
                          sc_problem *pb)
{
    char names[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < fam->nspec && used < sizeof names; i++) {
        if (fam->spec[i].flags & SC_PF_OUTPUT)
            continue;
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 used > 0 ? ", " : "", fam->spec[i].name);
    }
    return sc_problem_field(pb, 422, key, "unknown field %s; family %s "
                            "takes %s", key, fam->name, names);
}

static int check_members(const sc_family *fam, const json_t *obj,
                         const char *const *skip, sc_problem *pb)
{
    const char *key;
    json_t *v;

    /* json_object_foreach wants a mutable object; nothing is changed. */
    json_object_foreach((json_t *)obj, key, v) {
        const sc_param_spec *s = spec_named(fam, key);
        if (skipped(skip, key))
            continue;
        if (s == NULL)
            return unknown_member(fam, key, pb);
        if (s->flags & SC_PF_OUTPUT)
            return sc_problem_field(pb, 422, key, "%s is chosen by the "
                                    "server; a request may not set it", key);
    }
    return 0;
}

static int decode_dvec(const sc_param_spec *s, const json_t *v, char *dst,
                       sc_problem *pb)
{
    size_t n = json_array_size(v);
    uint32_t count = (uint32_t)n;
    double *x;

    if (!json_is_array(v))
        return sc_problem_field(pb, 422, s->name, "%s must be an array of "
                                "numbers, not %s", s->name,
                                sc__wire_kind(v));
    if (n == 0 || n > UINT32_MAX)
        return sc_problem_field(pb, 422, s->name, "%s must hold 1 to %u "
                                "numbers", s->name, UINT32_MAX);
    x = malloc(n * sizeof *x);
    if (x == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s[%zu]", s->name, i);
        if (sc__wire_double(json_array_get(v, i), name, s->flags, s->min,
                            s->max, &x[i], pb)) {
            snprintf(pb->errors[0].field, sizeof pb->errors[0].field, "%s",
                     s->name);
            free(x);
            return -1;
        }
    }
    memcpy(dst + s->offset, &x, sizeof x);
    memcpy(dst + s->count_offset, &count, sizeof count);
    return 0;
}

static int decode_param(const sc_param_spec *s, const json_t *v, char *dst,
                        sc_problem *pb)
{
    switch (s->type) {
    case SC_PT_UINT:
        return sc__wire_uint(v, s->name, s->flags, s->min, s->max,
                             (uint32_t *)(void *)(dst + s->offset), pb);
    case SC_PT_DOUBLE:
        return sc__wire_double(v, s->name, s->flags, s->min, s->max,
                               (double *)(void *)(dst + s->offset), pb);
    case SC_PT_DVEC:
        return decode_dvec(s, v, dst, pb);
    case SC_PT_HEX32:
        if (!json_is_string(v) ||
            sc_unhex((uint8_t *)dst + s->offset, SC_KEY_BYTES,
                     json_string_value(v)) != SC_OK)
            return sc_problem_field(pb, 422, s->name, "%s must be a string "
                                    "of 64 hex digits", s->name);
        return 0;
    }
    return sc_problem_set(pb, 500, "internal", "bad parameter table entry");
}

static int decode_all(const sc_family *fam, const json_t *obj, sc_params *p,
                      sc_problem *pb)
{
    for (size_t i = 0; i < fam->nspec; i++) {
        const sc_param_spec *s = &fam->spec[i];
        const json_t *v = json_object_get(obj, s->name);
        /* null reads as absent, as in sc_wire_decode. */
        if (s->flags & SC_PF_OUTPUT)
            continue;
        if (v == NULL || json_is_null(v)) {
            if (s->flags & SC_PF_REQUIRED)
                return sc_problem_field(pb, 422, s->name, "%s is required "
                                        "(%s)", s->name, s->doc);
            continue;
        }
        if (decode_param(s, v, (char *)p, pb))
            return -1;
    }
    return 0;
}

int sc_wire_decode_params(const sc_family *fam, const json_t *obj,
                          const char *const *skip, sc_params *p,
                          sc_problem *pb)
{
    sc_error err = {{0}, {0}};
    int rc;

    if (!json_is_object(obj))
        return sc_problem_set(pb, 422, "invalid-parameters", "the %s "
                              "parameters must be an object, not %s",
                              fam->name, sc__wire_kind(obj));
    if (check_members(fam, obj, skip, pb) || decode_all(fam, obj, p, pb)) {
        sc_params_clear(p);
        return -1;
    }
    rc = fam->validate(p, &err);
    if (rc == SC_OK)
        return 0;
    sc_params_clear(p);
    if (rc == SC_EINVAL)
        return sc_problem_field(pb, 422, err.field, "%s", err.message);
    return sc_problem_set(pb, 500, "internal", "validating the %s "
                          "parameters failed (%d)", fam->name, rc);
}

static json_t *param_json(const sc_param_spec *s, const char *src)
{
    uint32_t u;
    double d;
    const double *vec;
    char hex[2 * SC_KEY_BYTES + 1];

    switch (s->type) {
    case SC_PT_UINT:
        memcpy(&u, src + s->offset, sizeof u);
        return json_integer(u);
    case SC_PT_DOUBLE:
        memcpy(&d, src + s->offset, sizeof d);
        return json_real(d);
    case SC_PT_DVEC:
        memcpy(&vec, src + s->offset, sizeof vec);
        memcpy(&u, src + s->count_offset, sizeof u);
        return sc_wire_encode_vector(vec, u);
    case SC_PT_HEX32:
        sc_hex(hex, (const uint8_t *)src + s->offset, SC_KEY_BYTES);
        return json_string(hex);
    }
    return NULL;
}

json_t *sc_wire_encode_params(const sc_family *fam, const sc_params *p)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < fam->nspec; i++) {
        const sc_param_spec *s = &fam->spec[i];
        const double *vec;
        if (s->type == SC_PT_DVEC) {
            memcpy(&vec, (const char *)p + s->offset, sizeof vec);
            if (vec == NULL)
                continue;
        }
        if (json_object_set_new(o, s->name, param_json(s, (const char *)p))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}
