/* The families this build serves, in the order /v1/info lists them. */
#include "sc_core.h"

const sc_family *const sc_families[] = {
    &sc_family_gaussian,
    &sc_family_pancakes,
    &sc_family_gmm,
    &sc_family_owf,
    NULL,
};
