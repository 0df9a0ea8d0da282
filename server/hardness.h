/*
 * /v1/info's presets[i].hardness: the hardness card of each preset
 * (core/sc_hardness.h) with the method behind each of its numbers.
 */
#ifndef SC_SERVER_HARDNESS_H
#define SC_SERVER_HARDNESS_H

#include <jansson.h>

/* Adds "hardness" to every member of info's "presets" array that has a
 * card; leaves the others as they are. */
void sc_hardness_info(json_t *info);

#endif
