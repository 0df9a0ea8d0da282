/* The web arena's file table (server/static.c): what is loaded and what
 * is left out (dot files, links out of the tree), folder indexes, media
 * types, the request paths it claims, and If-None-Match matching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/config.h"
#include "server/static.h"
#include "tmpdir.h"

static void put(const char *dir, const char *name, const char *text)
{
    char path[SC_TEST_PATH + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void tree_is_read_and_nothing_else(void **state)
{
    (void)state;
    char top[SC_TEST_PATH], web[SC_TEST_PATH + 8], sub[SC_TEST_PATH + 16];
    char ln[SC_TEST_PATH + 16], out[SC_TEST_PATH + 16];
    sc_test_tmpdir(top);
    snprintf(web, sizeof web, "%s/web", top);
    snprintf(sub, sizeof sub, "%s/lib", web);
    assert_int_equal(mkdir(web, 0700), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    put(web, "index.html", "<p>arena</p>");
    put(web, ".secret", "key");
    put(sub, "a.mjs", "export {};");
    put(top, "outside.txt", "outside");
    snprintf(ln, sizeof ln, "%s/ln.txt", web);
    snprintf(out, sizeof out, "%s/outside.txt", top);
    assert_int_equal(symlink(out, ln), 0);

    sc_static *s = sc_static_load(web);
    assert_non_null(s);
    assert_int_equal(sc_static_count(s), 2);
    const char *type;
    size_t len;
    const unsigned char *b = sc_static_find(s, "/", &type, &len);
    assert_non_null(b);
    assert_int_equal(len, strlen("<p>arena</p>"));
    assert_memory_equal(b, "<p>arena</p>", len);
    assert_string_equal(type, "text/html; charset=utf-8");
    assert_non_null(sc_static_find(s, "/lib/a.mjs", &type, &len));
    assert_string_equal(type, "text/javascript; charset=utf-8");
    const char *absent[] = {"/.secret", "/ln.txt", "/../outside.txt",
                            "/lib/../index.html", "/lib/", "lib/a.mjs",
                            "/lib//a.mjs", ""};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        assert_null(sc_static_find(s, absent[i], &type, &len));
    sc_static_free(s);

    assert_int_equal(unlink(ln), 0);
    char path[SC_TEST_PATH + 32];
    snprintf(path, sizeof path, "%s/a.mjs", sub);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(sub), 0);
    sc_test_rmtree(web);
    sc_test_rmtree(top);
}

static void missing_tree_is_empty(void **state)
{
    (void)state;
    sc_static *s = sc_static_load("/nonexistent/scoracle-web");
    assert_non_null(s);
    assert_int_equal(sc_static_count(s), 0);
    sc_static_free(s);
    s = sc_static_load(NULL);
    assert_int_equal(sc_static_count(s), 0);
    sc_static_free(s);
}

static void claims_reads_outside_the_api(void **state)
{
    (void)state;
    assert_true(sc_static_claims("GET", "/"));
    assert_true(sc_static_claims("HEAD", "/app.mjs"));
    assert_true(sc_static_claims("GET", "/v1x"));
    assert_false(sc_static_claims("GET", "/v1/nope"));
    assert_false(sc_static_claims("GET", "/v1"));
    assert_false(sc_static_claims("POST", "/"));
    assert_false(sc_static_claims("DELETE", "/index.html"));
}

static void if_none_match_lists(void **state)
{
    (void)state;
    const char *e = "\"abc\"";
    assert_true(sc_static_etag_matches("\"abc\"", e));
    assert_true(sc_static_etag_matches("W/\"abc\"", e));
    assert_true(sc_static_etag_matches("\"x\", \"abc\"", e));
    assert_true(sc_static_etag_matches("\"x\",\"abc\" ", e));
    assert_true(sc_static_etag_matches("*", e));
    assert_false(sc_static_etag_matches("", e));
    assert_false(sc_static_etag_matches("\"ab\"", e));
    assert_false(sc_static_etag_matches("\"abcd\"", e));
    assert_false(sc_static_etag_matches("\"abc", e));
    assert_false(sc_static_etag_matches(",,, ,", e));
    assert_false(sc_static_etag_matches("W/", e));
}

static void web_option_names_the_tree(void **state)
{
    (void)state;
    sc_config cfg;
    char *none[] = {"scoracled", NULL};
    assert_int_equal(sc_config_parse(&cfg, 1, none), 0);
    assert_null(cfg.web_dir);
    char *given[] = {"scoracled", "--web", "/srv/arena", NULL};
    assert_int_equal(sc_config_parse(&cfg, 3, given), 0);
    assert_string_equal(cfg.web_dir, "/srv/arena");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tree_is_read_and_nothing_else),
        cmocka_unit_test(missing_tree_is_empty),
        cmocka_unit_test(claims_reads_outside_the_api),
        cmocka_unit_test(if_none_match_lists),
        cmocka_unit_test(web_option_names_the_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
