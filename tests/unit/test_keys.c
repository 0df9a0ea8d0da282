/* Key files and derivations, checked against libsodium called directly
 * with the master key read back from disk. */
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
#include "server/keys.h"
#include "tmpdir.h"

typedef struct fixture {
    char dir[SC_TEST_PATH];
    char state[SC_TEST_PATH + 16]; /* dir/state: created by sc_keys_load */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    unsetenv("SCORACLE_ADMIN_TOKEN");
    sc_test_tmpdir(f->dir);
    snprintf(f->state, sizeof f->state, "%s/state", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sc_test_rmtree(f->state);
    sc_test_rmtree(f->dir);
    free(f);
    unsetenv("SCORACLE_ADMIN_TOKEN");
    return 0;
}

static sc_keys *load_ok(const fixture *f)
{
    char err[256] = "";
    sc_keys *k = NULL;

    if (sc_keys_load(f->state, &k, err, sizeof err) != 0)
        fail_msg("sc_keys_load: %s", err);
    return k;
}

/* Loading must fail, with a message containing want. */
static void load_fails(const fixture *f, const char *want)
{
    char err[256] = "";
    sc_keys *k = NULL;

    assert_int_equal(sc_keys_load(f->state, &k, err, sizeof err), -1);
    assert_null(k);
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not mention \"%s\"", err, want);
}

static void path_of(const fixture *f, const char *name, char *out,
                    size_t cap)
{
    snprintf(out, cap, "%s/%s", f->state, name);
}

static mode_t mode_of(const char *path)
{
    struct stat sb;

    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mode & 07777;
}

static void read_master(const fixture *f, uint8_t master[32])
{
    char path[SC_TEST_PATH + 64];
    FILE *fp;

    path_of(f, "master.key", path, sizeof path);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(master, 1, 32, fp), 32);
    assert_int_equal(fgetc(fp), EOF);
    fclose(fp);
}

static void write_file(const char *path, const void *data, size_t len,
                       mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
}

static bool is_base64url(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_") == strlen(s);
}

static void first_start_creates_private_files(void **state)
{
    fixture *f = *state;
    char path[SC_TEST_PATH + 64], line[128];
    sc_keys *k = load_ok(f);
    FILE *fp;

    assert_int_equal(mode_of(f->state), 0700);
    path_of(f, "master.key", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    path_of(f, "admin.token", path, sizeof path);
    assert_int_equal(mode_of(path), 0600);
    assert_true(sc_keys_admin_token_created(k));
    assert_int_equal(strlen(sc_keys_admin_token(k)), SC_TOKEN_LEN);
    assert_true(is_base64url(sc_keys_admin_token(k)));
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    line[strcspn(line, "\n")] = '\0';
    assert_string_equal(line, sc_keys_admin_token(k));
    sc_keys_free(k);
}

static void reload_gives_same_keys(void **state)
{
    fixture *f = *state;
    sc_keys *a = load_ok(f), *b;
    uint8_t ka[32], kb[32], ha[32], hb[32];
    char token[SC_ADMIN_TOKEN_MAX + 1];

    snprintf(token, sizeof token, "%s", sc_keys_admin_token(a));
    sc_keys_instance_key(a, 7, ka);
    sc_keys_token_hash(a, "some-token", ha);
    sc_keys_free(a);
    b = load_ok(f);
    assert_false(sc_keys_admin_token_created(b));
    assert_string_equal(sc_keys_admin_token(b), token);
    sc_keys_instance_key(b, 7, kb);
    sc_keys_token_hash(b, "some-token", hb);
    assert_memory_equal(ka, kb, 32);
    assert_memory_equal(ha, hb, 32);
    sc_keys_free(b);
}

static void wrong_size_master_is_refused(void **state)
{
    fixture *f = *state;
    char path[SC_TEST_PATH + 64];
    uint8_t bytes[33] = {1};

    assert_int_equal(mkdir(f->state, 0700), 0);
    path_of(f, "master.key", path, sizeof path);
    write_file(path, bytes, 31, 0600);
    load_fails(f, "31 bytes");
    write_file(path, bytes, 33, 0600);
    load_fails(f, "33 bytes");
    write_file(path, bytes, 0, 0600);
    load_fails(f, "0 bytes");
}

static void readable_master_is_refused(void **state)
{
    fixture *f = *state;
    char path[SC_TEST_PATH + 64];
    sc_keys *k = load_ok(f);

    sc_keys_free(k);
    path_of(f, "master.key", path, sizeof path);
    assert_int_equal(chmod(path, 0640), 0);
    load_fails(f, "chmod 600");
    assert_int_equal(chmod(path, 0604), 0);
    load_fails(f, "chmod 600");
    assert_int_equal(chmod(path, 0600), 0);
    path_of(f, "admin.token", path, sizeof path);
    assert_int_equal(chmod(path, 0644), 0);
    load_fails(f, "chmod 600");
}

static void admin_token_from_environment(void **state)
{
    fixture *f = *state;
    char path[SC_TEST_PATH + 64];
    sc_keys *k;

    setenv("SCORACLE_ADMIN_TOKEN", "an-operator-chosen-token", 1);
    k = load_ok(f);
    assert_string_equal(sc_keys_admin_token(k), "an-operator-chosen-token");
    assert_false(sc_keys_admin_token_created(k));
    sc_keys_free(k);
    path_of(f, "admin.token", path, sizeof path);
    assert_int_equal(access(path, F_OK), -1);

    setenv("SCORACLE_ADMIN_TOKEN", "short", 1);
    load_fails(f, "SCORACLE_ADMIN_TOKEN");
    setenv("SCORACLE_ADMIN_TOKEN", "a token with spaces in it", 1);
    load_fails(f, "SCORACLE_ADMIN_TOKEN");
}

static void corrupt_admin_file_is_refused(void **state)
{
    fixture *f = *state;
    char path[SC_TEST_PATH + 64];

    assert_int_equal(mkdir(f->state, 0700), 0);
    path_of(f, "admin.token", path, sizeof path);
    write_file(path, "tiny\n", 5, 0600);
    load_fails(f, "admin.token");
}

/* Every derivation equals libsodium's KDF on the master key from disk,
 * with the contexts of core/sc_rng.h and the ids of keys.h. */
static void derivations_follow_the_contexts(void **state)
{
    fixture *f = *state;
    sc_keys *k = load_ok(f);
    uint8_t master[32], want[32], got[32], ikey[32], ckey[32];
    uint8_t pk[32], sk[64], want_pk[32], want_sk[64];

    read_master(f, master);
    crypto_kdf_derive_from_key(want, 32, 5, SC_CTX_INSTANCE, master);
    sc_keys_instance_key(k, 5, ikey);
    assert_memory_equal(ikey, want, 32);

    crypto_kdf_derive_from_key(want, 32, 5, SC_CTX_CHALLENGE, master);
    sc_keys_challenge_key(k, 5, ckey);
    assert_memory_equal(ckey, want, 32);

    crypto_kdf_derive_from_key(want, 32, 0, SC_CTX_SALT, ikey);
    sc_keys_salt(ikey, got);
    assert_memory_equal(got, want, 32);

    crypto_kdf_derive_from_key(want, 32, 0, SC_CTX_NOISE, ikey);
    sc_keys_noise_key(ikey, got);
    assert_memory_equal(got, want, 32);

    crypto_kdf_derive_from_key(want, 32, 0, SC_CTX_RECEIPT, master);
    crypto_sign_seed_keypair(want_pk, want_sk, want);
    sc_keys_receipt_keypair(k, pk, sk);
    assert_memory_equal(pk, want_pk, 32);
    assert_memory_equal(sk, want_sk, 64);

    crypto_kdf_derive_from_key(want, 32, 0, SC_CTX_TOKEN, master);
    crypto_generichash(want, 32, (const unsigned char *)"tok", 3, want, 32);
    sc_keys_token_hash(k, "tok", got);
    assert_memory_equal(got, want, 32);
    sc_keys_free(k);
}

static void derivations_are_distinct(void **state)
{
    fixture *f = *state;
    sc_keys *k = load_ok(f);
    uint8_t d[8][32], pk[32], sk[64];

    sc_keys_instance_key(k, 1, d[0]);
    sc_keys_instance_key(k, 2, d[1]);
    sc_keys_challenge_key(k, 1, d[2]);
    sc_keys_salt(d[0], d[3]);
    sc_keys_noise_key(d[0], d[4]);
    sc_keys_salt(d[2], d[5]);
    sc_keys_token_hash(k, "a", d[6]);
    sc_keys_token_hash(k, "b", d[7]);
    for (int i = 0; i < 8; i++)
        for (int j = i + 1; j < 8; j++)
            assert_memory_not_equal(d[i], d[j], 32);
    sc_keys_receipt_keypair(k, pk, sk);
    for (int i = 0; i < 8; i++)
        assert_memory_not_equal(sk, d[i], 32);
    sc_keys_free(k);
}

static void new_tokens_and_ids(void **state)
{
    char t1[SC_TOKEN_SIZE], t2[SC_TOKEN_SIZE], id[SC_ID_LEN];
    uint8_t raw[40];
    size_t len = 0;
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

    (void)state;
    sc_keys_new_token(t1);
    sc_keys_new_token(t2);
    assert_int_equal(strlen(t1), SC_TOKEN_LEN);
    assert_true(is_base64url(t1));
    assert_string_not_equal(t1, t2);
    assert_int_equal(sodium_base642bin(raw, sizeof raw, t1, strlen(t1), NULL,
                                       &len, NULL, variant),
                     0);
    assert_int_equal(len, 32);

    sc_keys_new_id(id, "in_");
    assert_int_equal(strlen(id), 27);
    assert_int_equal(strncmp(id, "in_", 3), 0);
    assert_int_equal(strspn(id + 3, "0123456789abcdef"), 24);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_start_creates_private_files,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(reload_gives_same_keys, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(wrong_size_master_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(readable_master_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(admin_token_from_environment, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(corrupt_admin_file_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(derivations_follow_the_contexts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(derivations_are_distinct, setup,
                                        teardown),
        cmocka_unit_test(new_tokens_and_ids),
    };
    return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
