/* test_no_symbol: a shared library that is not an nlpd plugin. */
#include "nlpd/plugin.h"

NLPD_EXPORT int some_other_function(void) { return 42; }
