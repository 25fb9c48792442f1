/* test_needs_entities and test_needs_needs_entities: plugins for any language
 * ("*") that depend on an analysis, TEST_NEEDS_DEPENDENCY, which may not run
 * for the document's language: "entities" (German and English only) and
 * test_needs_entities. Each checks that the server passed its dependency's
 * result in PluginRequest.dependency_results (the analysis name and an
 * nlpd.v1 type URL are in the request) and returns an empty
 * nlpd.v1.SentimentResult. Built twice with
 * different TEST_NEEDS_NAME / TEST_NEEDS_DEPENDENCY. */
#include "test_plugin_common.h"

#ifndef TEST_NEEDS_NAME
#error "define TEST_NEEDS_NAME"
#endif
#ifndef TEST_NEEDS_DEPENDENCY
#error "define TEST_NEEDS_DEPENDENCY"
#endif

static int contains(const uint8_t* data, size_t size, const char* needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= size; ++i) {
    if (memcmp(data + i, needle, n) == 0) return 1;
  }
  return 0;
}

static nlpd_error* needs_analyze(nlpd_plugin_instance* instance,
                                 const nlpd_analyze_input* input,
                                 nlpd_result_sink* sink) {
  const nlpd_host_api* host = ((test_instance*)instance)->host;
  if (!contains(input->request, input->request_size, TEST_NEEDS_DEPENDENCY) ||
      !contains(input->request, input->request_size,
                "type.googleapis.com/nlpd.v1.")) {
    return host->error_new(NLPD_ERROR_FAILED_PRECONDITION,
                           TEST_NEEDS_DEPENDENCY " result missing");
  }
  return host->result_write(sink, NULL, 0);
}

static const char* const needs_dependencies[] = {TEST_NEEDS_DEPENDENCY};

static const nlpd_plugin_descriptor needs_descriptor = {
    sizeof(nlpd_plugin_descriptor),
    TEST_NEEDS_NAME,
    "1.0.0",
    "Test plugin: any language, needs " TEST_NEEDS_DEPENDENCY,
    test_any_language,
    1,
    needs_dependencies,
    1,
    "nlpd.v1.SentimentResult",
    NULL,
    0,
    1};

static const nlpd_plugin_api needs_api = {sizeof(nlpd_plugin_api),
                                          NLPD_ABI_VERSION_MAJOR,
                                          NLPD_ABI_VERSION_MINOR,
                                          &needs_descriptor,
                                          &test_create,
                                          &needs_analyze,
                                          &test_destroy};

NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void) { return &needs_api; }
