/* test_wrong_abi: exports nlpd_plugin_v1 but claims ABI version 2.0. */
#include "test_plugin_common.h"

static const nlpd_plugin_descriptor wrong_abi_descriptor = {
    sizeof(nlpd_plugin_descriptor),
    "test_wrong_abi",
    "1.0.0",
    "",
    test_any_language,
    1,
    NULL,
    0,
    "nlpd.v1.EntitiesResult",
    NULL,
    0,
    1};

static const nlpd_plugin_api wrong_abi_api = {sizeof(nlpd_plugin_api),
                                              2,
                                              0,
                                              &wrong_abi_descriptor,
                                              &test_create,
                                              &test_never_analyze,
                                              &test_destroy};

NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void) {
  return &wrong_abi_api;
}
