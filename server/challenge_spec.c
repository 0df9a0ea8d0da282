/* Decoding a challenge request: kind, preset or instance template,
 * rounds, eval points, tolerance, visibility.  See challenges.h. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../proto/sc_wire.h"
#include "challenges.h"

/* Work of one challenge's eval points at finish, in doubles: the same cap
 * as one oracle request (limits.h). */
#define MAX_EVAL_DOUBLES ((uint64_t)1 << 24)

typedef struct spec_wire {
    const char *kind, *preset, *season;
    json_t *instance;
    uint32_t rounds, eval;
    double tolerance;
    bool public_;
    bool has_rounds, has_eval, has_tolerance, has_public;
} spec_wire;

static const sc_wire_field spec_fields[] = {
    {"kind", SC_WT_STRING, offsetof(spec_wire, kind), SC_PF_REQUIRED, 0, 0,
     SIZE_MAX},
    {"preset", SC_WT_STRING, offsetof(spec_wire, preset), 0, 0, 0,
     SIZE_MAX},
    {"instance", SC_WT_OBJECT, offsetof(spec_wire, instance), 0, 0, 0,
     SIZE_MAX},
    {"rounds", SC_WT_UINT, offsetof(spec_wire, rounds), 0, 1,
     SC_GAME_MAX_ROUNDS, offsetof(spec_wire, has_rounds)},
    {"eval", SC_WT_UINT, offsetof(spec_wire, eval), 0, 1, SC_GAME_MAX_EVAL,
     offsetof(spec_wire, has_eval)},
    {"tolerance", SC_WT_DOUBLE, offsetof(spec_wire, tolerance),
     SC_PF_MIN_OPEN, 0, 1e6, offsetof(spec_wire, has_tolerance)},
    {"public", SC_WT_BOOL, offsetof(spec_wire, public_), 0, 0, 0,
     offsetof(spec_wire, has_public)},
    {"season", SC_WT_STRING, offsetof(spec_wire, season), 0, 0, 0,
     SIZE_MAX},
};

void sc_challenge_spec_clear(sc_challenge_spec *spec)
{
    sc_instance_spec_clear(&spec->inst);
    memset(spec, 0, sizeof *spec);
}

/* The round template from a preset: its family, params and budget. */
static int spec_from_preset(const char *name, sc_challenge_spec *spec,
                            sc_problem *pb)
{
    const sc_game_preset *p = sc_game_preset_find(name);
    if (p == NULL)
        return sc_problem_field(pb, 422, "preset",
                                "unknown preset \"%s\" (see /v1/info)", name);
    const sc_family *fam = sc_family_find(p->family);
    if (fam == NULL)
        return sc_problem_field(pb, 422, "preset",
                                "preset \"%s\" needs family %s, which this "
                                "server does not serve", name, p->family);
    spec->preset = p;
    spec->inst.fam = fam;
    if (sc_params_copy(&spec->inst.params, &p->params) != SC_OK)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    memcpy(spec->inst.budget, p->budget, sizeof spec->inst.budget);
    spec->rounds = p->rounds;
    return 0;
}

/* Fills defaults, then the rules that tie the members together. */
static int check_spec(const spec_wire *w, sc_challenge_spec *spec,
                      sc_problem *pb)
{
    const char *family = spec->inst.fam->name;
    const sc_kind *k = sc_kind_of(spec->kind);
    sc_error err = {0};
    if (!sc_game_kind_allows(spec->kind, family))
        return sc_problem_field(pb, 422, "kind",
                                "%s challenges are not played on family %s",
                                sc_game_kind_name(spec->kind), family);
    if (spec->inst.fam->validate(&spec->inst.params, &err) != SC_OK)
        return sc_problem_field(pb, 422, err.field, "%s", err.message);
    bool has_eval = sc_game_kind_has_eval(spec->kind);
    if (w->has_eval && !has_eval)
        return sc_problem_field(pb, 422, "eval",
                                "eval applies to score and density only");
    if (w->has_tolerance && !k->tolerance)
        return sc_problem_field(pb, 422, "tolerance",
                                "tolerance applies to density only");
    if (w->has_rounds)
        spec->rounds = w->rounds;
    spec->eval = has_eval ? (w->has_eval ? w->eval : SC_GAME_DEFAULT_EVAL)
                          : 0;
    spec->tolerance = !k->tolerance     ? 0.0
                      : w->has_tolerance ? w->tolerance
                                         : SC_GAME_DEFAULT_TOL;
    uint64_t work = (uint64_t)spec->rounds * spec->eval *
                    spec->inst.params.dim;
    if (work > MAX_EVAL_DOUBLES)
        return sc_problem_field(pb, 422, "eval",
                                "rounds x eval x dim must be at most %llu",
                                (unsigned long long)MAX_EVAL_DOUBLES);
    uint64_t samples = spec->inst.budget[SC_METER_SAMPLES];
    if (samples != SC_UNLIMITED && samples < spec->eval)
        return sc_problem_field(pb, 422, "instance.budget.samples",
                                "the eval points count as samples: the "
                                "budget must be at least eval = %u",
                                spec->eval);
    return 0;
}

int sc_challenge_spec_decode(const json_t *obj, bool public_default,
                             sc_challenge_spec *spec, sc_problem *pb)
{
    spec_wire w = {0};
    memset(spec, 0, sizeof *spec);
    for (int m = 0; m < SC_METERS; m++)
        spec->inst.budget[m] = SC_UNLIMITED;
    spec->rounds = 20;
    if (sc_wire_decode(obj, spec_fields,
                       sizeof spec_fields / sizeof spec_fields[0], &w,
                       pb) != 0)
        return -1;
    if (sc_game_kind_parse(w.kind, &spec->kind) != SC_OK)
        return sc_problem_field(pb, 422, "kind", "kind must be %s",
                                sc_kind_names());
    if ((w.preset == NULL) == (w.instance == NULL))
        return sc_problem_field(pb, 422, "instance",
                                "give exactly one of preset and instance");
    int rc = w.preset != NULL
                 ? spec_from_preset(w.preset, spec, pb)
                 : sc_instance_spec_decode(w.instance, NULL, &spec->inst,
                                           pb);
    if (rc != 0)
        return -1;
    spec->public_ = w.has_public ? w.public_ : public_default;
    if (w.season != NULL && (strlen(w.season) >= sizeof spec->season ||
                             w.preset == NULL || !spec->public_))
        return sc_problem_field(pb, 422, "season",
                                "a season game names a season id and one "
                                "of its presets, and is public");
    if (w.season != NULL)
        snprintf(spec->season, sizeof spec->season, "%s", w.season);
    return check_spec(&w, spec, pb);
}

int sc_challenge_spec_vet(const sc_challenge_spec *spec, sc_problem *pb)
{
    /* A fixed key: the verdict on a template is the same every time. */
    static const uint8_t probe_key[SC_KEY_BYTES] = {0};
    const sc_kind *k = sc_kind_of(spec->kind);
    sc_dist *d = NULL;
    sc_error err = {0};
    if (k->vet == NULL)
        return 0;
    if (sc_dist_new(spec->inst.fam, &spec->inst.params, probe_key, &d,
                    &err) != SC_OK)
        return sc_problem_set(pb, 422, "invalid-parameters",
                              "the distribution could not be built");
    int rc = k->vet(d, spec->tolerance, pb);
    sc_dist_free(d);
    return rc;
}

int sc_challenge_template(const sc_challenge_row *c, sc_instance_spec *spec,
                          sc_problem *pb)
{
    json_t *j = sc_games_json_load(c->spec);
    sc_problem ignored = {0};
    memset(spec, 0, sizeof *spec);
    int rc = j != NULL ? sc_instance_spec_decode(j, NULL, spec, &ignored)
                       : -1;
    json_decref(j);
    if (rc != 0)
        return sc_problem_set(pb, 500, "internal",
                              "a stored challenge is unreadable");
    return 0;
}

int sc_challenge_shape(const sc_challenge_row *c, sc_answer_shape *out,
                       sc_problem *pb)
{
    sc_instance_spec spec;
    const sc_kind *k = sc_kind_find(c->kind);
    int rc = k != NULL ? sc_challenge_template(c, &spec, pb)
                       : sc_problem_set(pb, 500, "internal",
                                        "a stored challenge is unreadable");
    if (k == NULL)
        return rc;
    if (rc == 0)
        *out = (sc_answer_shape){.dim = spec.params.dim, .eval = c->eval};
    if (rc == 0 && k->shape != NULL)
        k->shape(&spec.params, out);
    sc_instance_spec_clear(&spec);
    return rc;
}

/* fits[i * SC_GAME_KINDS + k]: preset i is offered as kind k. */
static bool *fits;
static pthread_once_t fits_once = PTHREAD_ONCE_INIT;

static bool judge_fit(const sc_game_preset *p, sc_game_kind k)
{
    sc_challenge_spec spec = {0};
    sc_problem pb = {0};
    json_t *req = json_pack("{s:s, s:s}", "kind", sc_game_kind_name(k),
                            "preset", p->name);
    bool ok = req != NULL &&
              sc_challenge_spec_decode(req, false, &spec, &pb) == 0 &&
              sc_challenge_spec_vet(&spec, &pb) == 0;
    sc_challenge_spec_clear(&spec);
    json_decref(req);
    return ok;
}

static void judge_fits(void)
{
    fits = calloc(sc_game_npresets * SC_GAME_KINDS + 1, sizeof *fits);
    for (size_t i = 0; fits != NULL && i < sc_game_npresets; i++)
        for (unsigned k = 0; k < SC_GAME_KINDS; k++)
            fits[i * SC_GAME_KINDS + k] =
                judge_fit(&sc_game_presets[i], (sc_game_kind)k);
}

bool sc_challenge_preset_fits(const sc_game_preset *p, sc_game_kind k)
{
    pthread_once(&fits_once, judge_fits);
    size_t i = (size_t)(p - sc_game_presets);
    return fits != NULL && i < sc_game_npresets &&
           (unsigned)k < SC_GAME_KINDS && fits[i * SC_GAME_KINDS + k];
}
