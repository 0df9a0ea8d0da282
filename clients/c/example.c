/*
 * scoracle-example URL: the C client end to end.  Registers a player,
 * creates a Gaussian pancakes instance with a samples budget, draws
 * samples, asks their scores and log-densities (t = 0), shows the budget
 * refusal, reveals the secret and checks the commitment with libsodium
 * (and that a changed secret does not open it).  Prints
 * one "key: value" line per step; exits 0 only when every step worked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "clients/c/scoracle_client.h"

#define N 4

static int check(sc_client *c, int rc, const char *what)
{
    if (rc == SC_CLIENT_OK)
        return 0;
    const sc_client_error *e = sc_client_last_error(c);
    fprintf(stderr, "%s failed (%d): HTTP %ld %s %s\n", what, rc, e->status,
            e->type, e->detail);
    return -1;
}

/* Everything after registration; the instance id stays valid while
 * inst lives. */
static int play(sc_client *c, json_t *inst)
{
    const char *id = json_string_value(json_object_get(inst, "id"));
    const char *commit =
        json_string_value(json_object_get(inst, "commitment"));
    double *x = NULL, *s = NULL, *lp = NULL;
    size_t dim = 0;
    json_t *rev = NULL;
    int bad = check(c, sc_client_samples(c, id, N, 0.0, &x, &dim),
                    "samples");
    bad = bad ? bad
              : check(c, sc_client_score(c, id, x, N, dim, 0.0, &s),
                      "score");
    bad = bad ? bad
              : check(c, sc_client_logpdf(c, id, x, N, dim, 0.0, &lp),
                      "logpdf");
    if (!bad) {
        printf("samples: %d x %zu\n", N, dim);
        for (size_t i = 0; i < N; i++)
            printf("point %zu: x0 %.6f score0 %.6f logpdf %.6f\n", i,
                   x[i * dim], s[i * dim], lp[i]);
        /* The budget holds N samples: one more is refused, whole. */
        double *more = NULL;
        int rc = sc_client_samples(c, id, 1, 0.0, &more, &dim);
        free(more);
        printf("over budget: %ld %s\n", sc_client_last_error(c)->status,
               sc_client_last_error(c)->type);
        bad = rc == SC_CLIENT_EHTTP ? 0 : -1;
    }
    bad = bad ? bad : check(c, sc_client_reveal(c, id, &rev), "reveal");
    if (!bad) {
        const json_t *u = json_object_get(json_object_get(rev, "secret"),
                                          "u");
        double norm = 0;
        for (size_t i = 0; i < json_array_size(u); i++)
            norm += pow(json_number_value(json_array_get(u, i)), 2);
        printf("secret: |u| = %.12f\n", sqrt(norm));
        int rc = sc_client_open_instance(id, rev, commit);
        printf("commitment %s: %s\n", commit,
               rc == SC_CLIENT_OK ? "opens" : "DOES NOT OPEN");
        /* A changed secret must not open the same commitment. */
        json_t *u0 = json_array_get(u, 0);
        json_real_set(u0, json_number_value(u0) + 1e-12);
        int rc2 = sc_client_open_instance(id, rev, commit);
        printf("changed secret: %s\n",
               rc2 == SC_CLIENT_EVERIFY ? "rejected" : "ACCEPTED");
        bad = rc == SC_CLIENT_OK && rc2 == SC_CLIENT_EVERIFY ? 0 : -1;
    }
    json_decref(rev);
    free(x);
    free(s);
    free(lp);
    return bad;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
    if (sc_client_global_init() != SC_CLIENT_OK)
        return 1;
    sc_client *c = sc_client_new(url, NULL);
    json_t *me = NULL, *inst = NULL, *spec = NULL;
    char name[32];
    int bad = c == NULL;
    if (!bad) {
        snprintf(name, sizeof name, "c-example-%08x", randombytes_random());
        bad = check(c, sc_client_register(c, name, &me), "register");
    }
    if (!bad) {
        printf("player: %s\n",
               json_string_value(json_object_get(me, "id")));
        spec = json_pack("{s:s, s:i, s:f, s:f, s:{s:i}}", "family",
                         "pancakes", "dim", 8, "gamma", 6.0, "sigma", 0.05,
                         "budget", "samples", N);
        bad = spec == NULL ||
              check(c, sc_client_create_instance(c, spec, &inst), "create");
    }
    if (!bad) {
        printf("instance: %s\n",
               json_string_value(json_object_get(inst, "id")));
        bad = play(c, inst);
    }
    json_decref(spec);
    json_decref(inst);
    json_decref(me);
    sc_client_free(c);
    sc_client_global_cleanup();
    printf("%s\n", bad ? "FAILED" : "ok");
    return bad ? 1 : 0;
}
