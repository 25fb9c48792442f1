/* test_create_fails: create() refuses, as a plugin with a missing model
 * file would. */
#include "test_plugin_common.h"

static nlpd_error* failing_create(const nlpd_host_api* host,
                                  const nlpd_create_args* args,
                                  nlpd_plugin_instance** instance) {
  (void)args, (void)instance;
  return host->error_new(NLPD_ERROR_FAILED_PRECONDITION,
                         "model file test.model not found");
}

static const nlpd_plugin_descriptor create_fails_descriptor = {
    sizeof(nlpd_plugin_descriptor),
    "test_create_fails",
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

static const nlpd_plugin_api create_fails_api = {sizeof(nlpd_plugin_api),
                                                 NLPD_ABI_VERSION_MAJOR,
                                                 NLPD_ABI_VERSION_MINOR,
                                                 &create_fails_descriptor,
                                                 &failing_create,
                                                 &test_never_analyze,
                                                 &test_destroy};

NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void) {
  return &create_fails_api;
}
