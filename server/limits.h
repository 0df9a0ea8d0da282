/*
 * Request size limits, shared by the oracles that enforce them and
 * /v1/info that publishes them.
 *
 * Decision: limits per request, in the units that cost: doubles (memory:
 * 2^24 doubles are 128 MiB in and as much out), work (latency: two
 * seconds of one core, from the family's own cost model) and samples.
 * They are published in /v1/info so that clients split large jobs
 * themselves (clients/python, clients/js do) instead of discovering the
 * limits by failing.
 */
#ifndef SC_LIMITS_H
#define SC_LIMITS_H

/* Doubles in one request's points or answer: as many as 4096 x 4096. */
#define SC_MAX_REQUEST_DOUBLES (1u << 24)
/* Work one oracle request may ask for, in sc_dist_cost's units (rough
 * nanoseconds of one core): two seconds. */
#define SC_MAX_REQUEST_WORK 2e9
/* Points one samples request may draw. */
#define SC_MAX_SAMPLES 1000000u

#endif
