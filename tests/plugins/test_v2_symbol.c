/* test_v2_symbol: a plugin of a future ABI: exports nlpd_plugin_v2 only. */
#include "nlpd/plugin.h"

NLPD_EXPORT const void* nlpd_plugin_v2(void) { return NULL; }
