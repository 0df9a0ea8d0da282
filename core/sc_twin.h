/*
 * Twin distributions: how a challenge round hides its coin from timing.
 *
 * A twin holds the round's planted distribution and N(0, I) of the same
 * dimension and answers for one of them (the coin), but every sample,
 * logpdf and score call runs both on the same arguments, planted first,
 * in chunks of the same size, one into the caller's buffer and one into
 * scratch.  Planted and null rounds therefore do the same work, touch
 * the same memory and fail alike: when the planted call fails, the twin
 * answers its error whichever side it serves.  The secret is the served
 * side's (none for N(0, I)), so commitments and reveals are unchanged.
 *
 * Ownership: sc_twin_new takes both distributions, also on failure;
 * sc_dist_free of the twin frees them.  Immutable once built, like any
 * sc_dist.
 */
#ifndef SC_TWIN_H
#define SC_TWIN_H

#include <stdbool.h>

#include "sc_core.h"

/* null has the dimension of planted (SC_EINVAL otherwise). */
int sc_twin_new(sc_dist *planted, sc_dist *null, bool serve_null,
                sc_dist **out);

/* The side a twin serves, or d itself when d is no twin: for functions
 * that reach into a family's own state (sc_owf.h). */
const sc_dist *sc_twin_served(const sc_dist *d);

#endif
