/* test_dependent: depends on test_echo and checks that the server passed
 * test_echo's result in PluginRequest.dependency_results; supports only
 * German, to exercise the language check. Its result is an empty
 * nlpd.v1.SentimentResult. */
#include "test_plugin_common.h"

static int contains(const uint8_t* data, size_t size, const char* needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= size; ++i) {
    if (memcmp(data + i, needle, n) == 0) return 1;
  }
  return 0;
}

static nlpd_error* dependent_analyze(nlpd_plugin_instance* instance,
                                     const nlpd_analyze_input* input,
                                     nlpd_result_sink* sink) {
  const nlpd_host_api* host = ((test_instance*)instance)->host;
  if (!contains(input->request, input->request_size,
                "type.googleapis.com/nlpd.v1.EntitiesResult") ||
      !contains(input->request, input->request_size, "TEST")) {
    return host->error_new(NLPD_ERROR_FAILED_PRECONDITION,
                           "test_echo result missing from the request");
  }
  return host->result_write(sink, NULL, 0);
}

static const char* const dependent_languages[] = {"de"};
static const char* const dependent_dependencies[] = {"test_echo"};

static const nlpd_plugin_descriptor dependent_descriptor = {
    sizeof(nlpd_plugin_descriptor),
    "test_dependent",
    "1.0.0",
    "Test plugin: needs test_echo, German only",
    dependent_languages,
    1,
    dependent_dependencies,
    1,
    "nlpd.v1.SentimentResult",
    NULL,
    0,
    0};

static const nlpd_plugin_api dependent_api = {sizeof(nlpd_plugin_api),
                                              NLPD_ABI_VERSION_MAJOR,
                                              NLPD_ABI_VERSION_MINOR,
                                              &dependent_descriptor,
                                              &test_create,
                                              &dependent_analyze,
                                              &test_destroy};

NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void) {
  return &dependent_api;
}
