/*
 * The hardness cards in /v1/info.  The numbers are core's generated data
 * (core/sc_hardness_table.c); the words saying how each was obtained are
 * here, one row per family, so that a reader of /v1/info needs nothing
 * else.  docs/MATH.md section 6 has the formulas.
 */
#include "hardness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/sc_hardness.h"

typedef struct method_row {
    const char *family;
    const char *tv, *power, *search;
    const char *rounds; /* what the best attack played */
} method_row;

static const method_row methods[] = {
    {"pancakes",
     "(1/2) int |p1 - phi| by quadrature, p1 the law along u "
     "(scripts/gen_hardness.py, docs/MATH.md 6.1)",
     "lower bound 1 - BC^n / 2 on the likelihood-ratio test that knows u, "
     "BC = int sqrt(p1 phi) by quadrature, n the samples budget "
     "(docs/MATH.md 6.2); known_secret_log10_error is log10(BC^n / 2)",
     "min over alpha of (d ln(1 + 2 / alpha) + ln 20) / -ln BC_alpha: a "
     "likelihood-ratio search over an alpha-net of 2^search_space_log2 "
     "directions (docs/MATH.md 6.3)",
     "distinguish rounds"},
    {"owf",
     "none: the secret is each sample's seed, not a direction",
     "1: y fixes f(x*), 2n image bits make the preimage unique but for "
     "2^-n, and a search over all 2^n seeds finds it",
     "0: the measurement y alone suffices; the search tries "
     "2^search_space_log2 seeds",
     "posterior rounds"},
    {"gmm",
     "none: the means are drawn at random, so the law along them is not "
     "one law",
     "not computed (means drawn at random); the best attack wins",
     "not computed (means drawn at random)",
     "distinguish rounds"},
};

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static const method_row *method_of(const char *family)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (family != NULL && strcmp(methods[i].family, family) == 0)
            return &methods[i];
    return NULL;
}

static json_t *best_json(const sc_attack_figure *f, const method_row *m)
{
    char how[384];
    if (f->name == NULL)
        return json_null();
    if (f->extrapolated)
        snprintf(how, sizeof how, "extrapolated from the seed rate "
                 "tests/attacks/bench.py measured on %s on %s",
                 sc_hardness_machine, sc_hardness_measured_on);
    else
        snprintf(how, sizeof how, "the attack of tests/attacks (make bench) "
                 "with the best win rate over %u %s, its own compute per "
                 "round (downloads excluded), on %s on %s", f->rounds,
                 m->rounds, sc_hardness_machine, sc_hardness_measured_on);
    return json_pack("{s:s, s:o, s:o, s:I, s:o, s:b, s:s, s:s}", "name",
                     f->name, "win_rate", num(f->win_rate),
                     "seconds_per_round", num(f->seconds_per_round),
                     "rounds", (json_int_t)f->rounds, "p_value",
                     num(f->p_value), "extrapolated", f->extrapolated,
                     "measured", sc_hardness_measured_on, "method", how);
}

static json_t *card_json(const sc_hardness *h, const method_row *m)
{
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o,"
        " s:{s:s, s:s, s:s}}",
        "regime", sc_regime_name(h->regime), "tv_along_secret",
        num(h->tv_along_secret), "known_secret_power",
        num(h->known_secret_power), "known_secret_log10_error",
        num(h->known_secret_log10_error), "unbounded_search_samples",
        num(h->unbounded_search_samples), "search_space_log2",
        num(h->search_space_log2), "best_attack",
        best_json(&h->best_attack, m), "method", "tv_along_secret", m->tv,
        "known_secret_power", m->power, "unbounded_search_samples",
        m->search);
}

void sc_hardness_info(json_t *info)
{
    json_t *presets = json_object_get(info, "presets");
    size_t i;
    json_t *p;
    json_array_foreach(presets, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        const sc_hardness *h = name != NULL ? sc_hardness_find(name) : NULL;
        const method_row *m =
            method_of(json_string_value(json_object_get(p, "family")));
        if (h != NULL && m != NULL)
            json_object_set_new(p, "hardness", card_json(h, m));
    }
}
