/*
 * Request size limits of decisions.md, shared by the oracles that
 * enforce them and /v1/info that publishes them.
 */
#ifndef SC_LIMITS_H
#define SC_LIMITS_H

/* Doubles in one request's points or answer: as many as 4096 x 4096. */
#define SC_MAX_REQUEST_DOUBLES (1u << 24)
/* Points one samples request may draw. */
#define SC_MAX_SAMPLES 1000000u

#endif
