/* /metrics counters (server/metrics.c): what is counted shows up in the
 * exposition with the right labels and cumulative buckets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/handlers.h"
#include "server/metrics.h"

/* The route row of a template, from the table itself. */
static const sc_route *route(const char *method, const char *path)
{
    for (size_t i = 0; i < sc_nroutes; i++)
        if (strcmp(sc_routes[i].method, method) == 0 &&
            strcmp(sc_routes[i].path, path) == 0)
            return &sc_routes[i];
    fail_msg("no route %s %s", method, path);
    return NULL;
}

static void counts_show_in_the_exposition(void **state)
{
    (void)state;
    sc_metrics *m = sc_metrics_new();
    const sc_route *score = route("POST", "/v1/instances/{id}/score");
    uint64_t pts[SC_METERS] = {0, 5, 0}, none[SC_METERS] = {0};
    sc_metrics_request(m, score->path, "POST", 200, 0.7, pts, -1);
    sc_metrics_request(m, score->path, "POST", 200, 30.0, pts, -1);
    sc_metrics_request(m, score->path, "POST", 429, 0.2, none,
                       SC_METER_SCORE);
    sc_metrics_request(m, "unmatched", "GET", 404, 0.1, none, -1);
    size_t len;
    char *text = sc_metrics_render(m, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    const char *want[] = {
        "scoracle_requests_total{method=\"POST\",route=\"/v1/instances/"
        "{id}/score\",status=\"200\"} 2\n",
        "scoracle_requests_total{method=\"POST\",route=\"/v1/instances/"
        "{id}/score\",status=\"429\"} 1\n",
        "scoracle_requests_total{method=\"\",route=\"unmatched\","
        "status=\"404\"} 1\n",
        /* 0.2 ms and 0.7 ms fall at or below 1 ms, 30 ms above 25 ms. */
        "route=\"/v1/instances/{id}/score\",le=\"0.001\"} 2\n",
        "route=\"/v1/instances/{id}/score\",le=\"0.025\"} 2\n",
        "route=\"/v1/instances/{id}/score\",le=\"0.05\"} 3\n",
        "route=\"/v1/instances/{id}/score\",le=\"+Inf\"} 3\n",
        "scoracle_oracle_points_total{meter=\"score\"} 10\n",
        "scoracle_oracle_points_total{meter=\"samples\"} 0\n",
        "scoracle_budget_refusals_total{meter=\"score\"} 1\n",
        "# TYPE scoracle_request_duration_seconds histogram\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("missing: %s", want[i]);
    free(text);
    sc_metrics_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_show_in_the_exposition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
