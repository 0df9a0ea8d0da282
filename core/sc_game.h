/*
 * The challenge games of proto/API.md, as pure computation: which
 * families each kind plays on, the hidden coin of a round, the eval
 * points of score and density rounds, scoring of one round and the
 * statistics of docs/MATH.md section 5 over all rounds, and the named
 * parameter presets that make leaderboard rows comparable.
 *
 * No I/O, no JSON.  Error convention of sc_core.h.  Ownership: callers
 * own every buffer; nothing here allocates what it hands out.
 */
#ifndef SC_GAME_H
#define SC_GAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sc_core.h"

typedef enum sc_game_kind {
    SC_GAME_DISTINGUISH = 0,
    SC_GAME_RECOVER,
    SC_GAME_SCORE,
    SC_GAME_DENSITY,
    SC_GAME_POSTERIOR,
    SC_GAME_KINDS
} sc_game_kind;

#define SC_GAME_MAX_ROUNDS 1000u
#define SC_GAME_MAX_EVAL 4096u    /* eval points per round */
#define SC_GAME_DEFAULT_EVAL 64u  /* eval points per round by default */
#define SC_GAME_DEFAULT_TOL 0.1   /* density tolerance eps by default */
#define SC_GAME_UNLIMITED UINT64_MAX /* a budget meter without a limit */

/* The OU times eval point j is drawn at: times[j % SC_GAME_EVAL_TIMES]. */
#define SC_GAME_EVAL_TIMES 4u
extern const double sc_game_eval_times[SC_GAME_EVAL_TIMES];

/* "distinguish", ... ; NULL for an out-of-range kind. */
const char *sc_game_kind_name(sc_game_kind k);
/* SC_OK and *out, or SC_EINVAL for an unknown name. */
int sc_game_kind_parse(const char *name, sc_game_kind *out);
/* Whether rounds of kind k can be played on family fam: distinguish,
 * score and density on pancakes and gmm, recover on pancakes (it has a
 * direction), posterior on owf. */
bool sc_game_kind_allows(sc_game_kind k, const char *family);
/* Whether the rounds of kind k carry eval points. */
bool sc_game_kind_has_eval(sc_game_kind k);

/*
 * The hidden fair coin of round i (true: planted): the top bit of the
 * first word of the challenge key's stream SC_STREAM_GAME with id
 * sc_game_stream_id(i, SC_GAME_SUB_COIN).  Every kind but distinguish
 * plays planted rounds only.
 */
enum { SC_GAME_SUB_COIN = 0, SC_GAME_SUB_MEASURE = 1 };
uint64_t sc_game_stream_id(uint32_t round, uint32_t sub);
bool sc_game_coin(const uint8_t challenge_key[SC_KEY_BYTES],
                  uint32_t round);

/*
 * Eval points of a score or density round: point j is point j of the
 * round instance's own sample stream at t_j = sc_game_eval_times[j % 4],
 * so they are samples of P_{t_j} that count against the samples meter
 * (the player's own samples start at index n).  Fills t (n) and x
 * (n x dim).
 */
int sc_game_eval_points(const sc_dist *d, size_t n, double *t, double *x);

/* What one round scored.  Its meaning by kind:
 *   distinguish: value 1 when the guess was right, else 0;
 *   recover:     value |cos(u_hat, u)|;
 *   score:       value = sum over eval points of |s_hat - s|^2 and
 *                gauss = the same sum for s_hat(x) = -x;
 *   density:     value = eval points within the tolerance;
 *   posterior:   value 1 when the answer inverts f on the target.
 * points is the round's eval point count (score, density). */
typedef struct sc_round_outcome {
    bool answered;
    double value;
    double gauss;
    size_t points;
} sc_round_outcome;

/* The Gaussian guess N(0, I) on n eval points of d (drawn as
 * sc_game_eval_points draws them): *score_err is the mean over points
 * and coordinates of |-x - grad log P_t(x)|^2, *density_within the
 * fraction of points where |log N(x; 0, I) - log P_t(x)| <= eps.  When
 * the first is 0 or the second 1, score or density rounds on d rank
 * nothing: the guess every answer is measured against is already
 * exact. */
int sc_game_gauss_baseline(const sc_dist *d, size_t n, double eps,
                           double *score_err, double *density_within);

/* Scores a score answer: est (n x dim) against grad log P_{t_j}(x_j). */
int sc_game_score_round(const sc_dist *d, size_t n, const double *t,
                        const double *x, const double *est,
                        sc_round_outcome *out);
/* The Gaussian guess's error alone, for an unanswered score round. */
int sc_game_score_unanswered(const sc_dist *d, size_t n, const double *t,
                             const double *x, sc_round_outcome *out);
/* Scores a density answer: est (n) against log P_{t_j}(x_j), within
 * tolerance eps. */
int sc_game_density_round(const sc_dist *d, size_t n, const double *t,
                          const double *x, const double *est, double eps,
                          sc_round_outcome *out);
/* |cos| of a direction (dim) against a pancakes secret u; SC_EINVAL
 * when d has no secret "u". */
int sc_game_recover_round(const sc_dist *d, const double *dir,
                          sc_round_outcome *out);

/*
 * Posterior rounds (family owf): the hidden sample X* (dim) and its
 * measurement y (image_bits) of round i, drawn by sc_owf_measure from
 * the challenge key's stream SC_STREAM_GAME with id
 * sc_game_stream_id(i, SC_GAME_SUB_MEASURE); draws may be NULL.
 */
int sc_game_posterior_target(const sc_dist *d,
                             const uint8_t challenge_key[SC_KEY_BYTES],
                             uint32_t round, double *x_star, double *y,
                             unsigned *draws);
/* Scores a sample (dim values; seed NULL) or a packed seed (sample
 * NULL): value 1 when f of its seed equals b_hat(y).  SC_EINVAL for a
 * seed of the wrong length or with bits set past seed_bits. */
int sc_game_posterior_round(const sc_dist *d,
                            const uint8_t challenge_key[SC_KEY_BYTES],
                            uint32_t round, const double *sample,
                            const uint8_t *seed, size_t seed_len,
                            sc_round_outcome *out);

/* The statistics of MATH.md section 5 over every round; unanswered
 * rounds count as wrong (distinguish, posterior), |cos| 0 (recover), the
 * Gaussian guess (score) and no point within tolerance (density). */
typedef struct sc_game_result {
    sc_game_kind kind;
    unsigned rounds, answered;
    unsigned correct;          /* distinguish, posterior */
    double accuracy, advantage, p_value; /* distinguish */
    double mean_cos, min_cos;  /* recover */
    double error, error_gauss, error_ratio; /* score: mean per point */
    double pac_fraction, tolerance;         /* density */
    unsigned bits_inverted;    /* posterior: correct x seed bits */
} sc_game_result;

/* seed_bits: the round template's, 0 for a family without seeds. */
void sc_game_summarize(sc_game_kind kind, const sc_round_outcome *o,
                       size_t rounds, double tolerance, unsigned seed_bits,
                       sc_game_result *out);

/*
 * Presets: named public parameters (family, params, per-round budget,
 * rounds) from easy (small d, thin pancakes, beatable by brute force) to
 * hard (gamma >= 2 sqrt(d)).  params never owns weights.
 */
typedef struct sc_game_preset {
    const char *name;
    const char *family;
    const char *doc;
    sc_params params;
    uint64_t budget[3]; /* samples, score, logpdf points per round */
    unsigned rounds;
} sc_game_preset;

extern const sc_game_preset sc_game_presets[];
extern const size_t sc_game_npresets;
const sc_game_preset *sc_game_preset_find(const char *name);

#endif
