/* The state folder at start (server/state_open.c, store_check.c): a
 * missing or wrong master key is refused when the store holds data, and
 * the key fingerprint is what libsodium gives for the key on disk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/sc_rng.h"
#include "server/state_open.h"
#include "tmpdir.h"

typedef struct fixture {
    char dir[SC_TEST_PATH];
    char key[SC_TEST_PATH + 16];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    setenv("SCORACLE_ADMIN_TOKEN", "state-open-test-token-xxxxxxxx", 1);
    sc_test_tmpdir(f->dir);
    snprintf(f->key, sizeof f->key, "%s/master.key", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sc_test_rmtree(f->dir);
    free(f);
    unsetenv("SCORACLE_ADMIN_TOKEN");
    return 0;
}

static void open_ok(const fixture *f, sc_keys **k, sc_store **st)
{
    char err[512] = "";

    if (sc_state_open(f->dir, k, st, err, sizeof err) != 0)
        fail_msg("sc_state_open: %s", err);
}

static void open_fails(const fixture *f, const char *want)
{
    char err[512] = "";
    sc_keys *k = NULL;
    sc_store *st = NULL;

    assert_int_equal(sc_state_open(f->dir, &k, &st, err, sizeof err), -1);
    assert_null(k);
    assert_null(st);
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not mention \"%s\"", err, want);
}

/* A start that leaves a player behind, as every real start does. */
static void start_with_a_player(const fixture *f)
{
    sc_keys *k;
    sc_store *st;
    sc_player p;
    uint8_t h[32];

    open_ok(f, &k, &st);
    sc_random(h, sizeof h);
    assert_int_equal(sc_store_player_create(st, "p", SC_ROLE_PLAYER, h, &p),
                     SC_STORE_OK);
    sc_store_close(st);
    sc_keys_free(k);
}

static void read_file(const char *path, uint8_t out[32])
{
    FILE *fp = fopen(path, "rb");

    assert_non_null(fp);
    assert_int_equal(fread(out, 1, 32, fp), 32);
    fclose(fp);
}

static void write_key(const char *path, const uint8_t key[32])
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, key, 32), 32);
    close(fd);
}

static void missing_key_with_data_is_refused_not_made(void **state)
{
    fixture *f = *state;
    uint8_t real[32];
    sc_keys *k;
    sc_store *st;

    start_with_a_player(f);
    read_file(f->key, real);
    assert_int_equal(unlink(f->key), 0);
    open_fails(f, "master.key is missing but the store holds data");
    assert_int_equal(access(f->key, F_OK), -1);

    write_key(f->key, real);
    open_ok(f, &k, &st);
    sc_store_close(st);
    sc_keys_free(k);
}

static void wrong_key_is_refused(void **state)
{
    fixture *f = *state;
    uint8_t other[32], back[32];

    start_with_a_player(f);
    assert_int_equal(unlink(f->key), 0);
    sc_random(other, sizeof other);
    write_key(f->key, other);
    open_fails(f, "not the key this store was made with");
    read_file(f->key, back);
    assert_memory_equal(back, other, 32);
}

/* The fingerprint is recorded even before any player exists, so a key
 * swapped after a start that wrote nothing else is refused too. */
static void empty_store_records_the_fingerprint(void **state)
{
    fixture *f = *state;
    uint8_t other[32];
    sc_keys *k;
    sc_store *st;
    bool data = false;

    open_ok(f, &k, &st);
    assert_int_equal(sc_store_holds_data(st, &data), SC_STORE_OK);
    assert_true(data);
    sc_store_close(st);
    sc_keys_free(k);
    assert_int_equal(unlink(f->key), 0);
    sc_random(other, sizeof other);
    write_key(f->key, other);
    open_fails(f, "not the key");
}

static void fingerprint_is_keyed_blake2b_of_the_key(void **state)
{
    fixture *f = *state;
    static const char what[] = "scoracle master key fingerprint";
    uint8_t master[32], fkey[32], want[32], got[32];
    sc_keys *k;
    sc_store *st;

    open_ok(f, &k, &st);
    read_file(f->key, master);
    crypto_kdf_derive_from_key(fkey, 32, 0, SC_CTX_FPRINT, master);
    crypto_generichash(want, 32, (const unsigned char *)what,
                       sizeof what - 1, fkey, 32);
    sc_keys_fingerprint(k, got);
    assert_memory_equal(got, want, 32);
    assert_memory_not_equal(got, master, 32);
    sc_store_close(st);
    sc_keys_free(k);
}

static void store_keeps_the_first_fingerprint(void **state)
{
    fixture *f = *state;
    uint8_t a[32], b[32];
    sc_store *st;
    char err[512];
    bool match = false, data = true;

    sc_random(a, sizeof a);
    sc_random(b, sizeof b);
    assert_int_equal(sc_store_open(f->dir, &st, err, sizeof err),
                     SC_STORE_OK);
    assert_int_equal(sc_store_holds_data(st, &data), SC_STORE_OK);
    assert_false(data);
    assert_int_equal(sc_store_key_fingerprint(st, a, &match), SC_STORE_OK);
    assert_true(match);
    assert_int_equal(sc_store_key_fingerprint(st, b, &match), SC_STORE_OK);
    assert_false(match);
    assert_int_equal(sc_store_key_fingerprint(st, a, &match), SC_STORE_OK);
    assert_true(match);
    sc_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            missing_key_with_data_is_refused_not_made, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_key_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(empty_store_records_the_fingerprint,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            fingerprint_is_keyed_blake2b_of_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(store_keeps_the_first_fingerprint,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("state_open", tests, NULL, NULL);
}
