/* test_echo: a well-behaved plugin. Returns an nlpd.v1.EntitiesResult with
 * one entity labeled "TEST" spanning the first `text_size` bytes, at most
 * 127 (and as many code points: its tests send ASCII), encoded by hand;
 * fails the request when the text contains "FAIL_PLUGIN", and takes half a
 * second when it contains "SLOW_PLUGIN" (for shutdown and overload tests). */
#include <stdint.h>
#include <time.h>

#include "test_plugin_common.h"

static int text_contains(const nlpd_analyze_input* input, const char* word) {
  size_t n = strlen(word);
  for (size_t i = 0; i + n <= input->text_size; ++i) {
    if (memcmp(input->text + i, word, n) == 0) return 1;
  }
  return 0;
}

static nlpd_error* echo_analyze(nlpd_plugin_instance* instance,
                                const nlpd_analyze_input* input,
                                nlpd_result_sink* sink) {
  const nlpd_host_api* host = ((test_instance*)instance)->host;
  if (text_contains(input, "FAIL_PLUGIN")) {
    return host->error_new(NLPD_ERROR_INTERNAL, "asked to fail");
  }
  if (text_contains(input, "SLOW_PLUGIN")) {
    struct timespec half_second = {0, 500 * 1000 * 1000};
    nanosleep(&half_second, NULL);
  }
  host->log(NLPD_LOG_INFO, "analyzing");
  /* EntitiesResult { entities { span { byte_end: N char_end: C }
   *                             label: "TEST" } }: the first N < 128 bytes
   * (one-byte varints), cut on a character boundary, which hold C code
   * points. */
  size_t n = input->text_size < 127 ? input->text_size : 127;
  while (n > 0 && n < input->text_size &&
         ((uint8_t)input->text[n] & 0xC0) == 0x80) {
    --n;
  }
  uint8_t chars = 0;
  for (size_t i = 0; i < n; ++i) {
    if (((uint8_t)input->text[i] & 0xC0) != 0x80) ++chars;
  }
  const uint8_t result[] = {0x0A, 0x0C, /* entities, 12 bytes */
                            0x0A, 0x04,  0x10, (uint8_t)n,
                            0x20, chars, /* span { byte_end char_end } */
                            0x12, 0x04,  'T',  'E',
                            'S',  'T'}; /* label */
  return host->result_write(sink, result, sizeof(result));
}

static const nlpd_plugin_descriptor echo_descriptor = {
    sizeof(nlpd_plugin_descriptor),
    "test_echo",
    "1.0.0",
    "Test plugin: one TEST entity over the text",
    test_any_language,
    1,
    NULL,
    0,
    "nlpd.v1.EntitiesResult",
    NULL,
    0,
    1};

static const nlpd_plugin_api echo_api = {sizeof(nlpd_plugin_api),
                                         NLPD_ABI_VERSION_MAJOR,
                                         NLPD_ABI_VERSION_MINOR,
                                         &echo_descriptor,
                                         &test_create,
                                         &echo_analyze,
                                         &test_destroy};

NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void) { return &echo_api; }
