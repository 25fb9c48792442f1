/* Shared pieces of the test plugins: plain C, to prove the ABI needs no C++.
 * Each test plugin defines its descriptor and behavior in its own file. */
#ifndef NLPD_TESTS_PLUGINS_TEST_PLUGIN_COMMON_H_
#define NLPD_TESTS_PLUGINS_TEST_PLUGIN_COMMON_H_

#include <stdlib.h>
#include <string.h>

#include "nlpd/plugin.h"

/* The state every test plugin keeps: the host table. */
typedef struct test_instance {
  const nlpd_host_api* host;
} test_instance;

static nlpd_error* test_create(const nlpd_host_api* host,
                               const nlpd_create_args* args,
                               nlpd_plugin_instance** instance) {
  (void)args;
  test_instance* state = (test_instance*)malloc(sizeof(test_instance));
  state->host = host;
  *instance = (nlpd_plugin_instance*)state;
  return NULL;
}

static void test_destroy(nlpd_plugin_instance* instance) { free(instance); }

/* For plugins the server refuses before any document reaches them. */
static nlpd_error* test_never_analyze(nlpd_plugin_instance* instance,
                                      const nlpd_analyze_input* input,
                                      nlpd_result_sink* sink) {
  (void)instance, (void)input, (void)sink;
  return NULL;
}

static const char* const test_any_language[] = {"*"};

#endif /* NLPD_TESTS_PLUGINS_TEST_PLUGIN_COMMON_H_ */
