/* test_abi_1_0: a plugin built against the frozen ABI 1.0 header
 * (tests/plugins/abi_1_0/nlpd/plugin.h), as a plugin compiled before ABI 1.1
 * was: its host table type lacks is_cancelled and its descriptor type lacks
 * checks_cancellation. Returns an nlpd.v1.EntitiesResult with one entity
 * labeled "ABI_1_0" over the whole text (byte and code-point offsets, the
 * text must be ASCII and under 128 bytes); fails with FAILED_PRECONDITION
 * when the host table is smaller than the 1.0 one it was built against.
 *
 * Built three times from this file:
 *   test_abi_1_0        the descriptor is a static const initialized struct,
 *                       as most C plugins write it (its tail padding is zero).
 *   test_abi_1_0_tight  (TEST_ABI_1_0_TIGHT_SIZE) the same, but its
 *                       struct_size is the end of its last field, without the
 *                       tail padding: the smallest 1.0 descriptor the server
 *                       promises to accept (on LP64 targets the only one
 *                       smaller than the server's sizeof, since ABI 1.1's
 *                       field fits into the 1.0 padding).
 *   test_abi_1_0_dirty  (TEST_ABI_1_0_DIRTY_PADDING) the descriptor is filled
 *                       in at run time over memory that was not zero, as a
 *                       plugin built by another language's binding may do:
 *                       the bytes after thread_safe are unspecified in ABI
 *                       1.0, yet on LP64 targets ABI 1.1's checks_cancellation
 *                       lies exactly there, inside the same sizeof.
 *
 * All three export test_abi_1_0_struct_sizes() so that tests can compare the
 * sizes this file was compiled with against the server's. */
#include <stddef.h>

#include "test_plugin_common.h"

#if NLPD_ABI_VERSION_MAJOR != 1 || NLPD_ABI_VERSION_MINOR != 0
#error "test_abi_1_0 must be built against the frozen ABI 1.0 header"
#endif
#ifdef NLPD_HAS_FIELD
#error "test_abi_1_0 must be built against the frozen ABI 1.0 header"
#endif

#if defined(TEST_ABI_1_0_DIRTY_PADDING)
#define TEST_ABI_1_0_NAME "test_abi_1_0_dirty"
#elif defined(TEST_ABI_1_0_TIGHT_SIZE)
#define TEST_ABI_1_0_NAME "test_abi_1_0_tight"
#else
#define TEST_ABI_1_0_NAME "test_abi_1_0"
#endif

/* One past the descriptor's last field in ABI 1.0. */
#define TEST_ABI_1_0_DESCRIPTOR_FIELDS_END         \
  (offsetof(nlpd_plugin_descriptor, thread_safe) + \
   sizeof(((nlpd_plugin_descriptor*)0)->thread_safe))

#ifdef TEST_ABI_1_0_TIGHT_SIZE
#define TEST_ABI_1_0_DESCRIPTOR_SIZE TEST_ABI_1_0_DESCRIPTOR_FIELDS_END
#else
#define TEST_ABI_1_0_DESCRIPTOR_SIZE sizeof(nlpd_plugin_descriptor)
#endif

static nlpd_error* abi_1_0_analyze(nlpd_plugin_instance* instance,
                                   const nlpd_analyze_input* input,
                                   nlpd_result_sink* sink) {
  const nlpd_host_api* host = ((test_instance*)instance)->host;
  if (host->struct_size < sizeof(nlpd_host_api)) {
    return host->error_new(NLPD_ERROR_FAILED_PRECONDITION,
                           "host table smaller than ABI 1.0's");
  }
  host->log(NLPD_LOG_INFO, "analyzing with ABI 1.0 structs");
  /* EntitiesResult { entities { span { byte_end: N char_end: N }
   *                             label: "ABI_1_0" } }. N < 128 keeps every
   * varint one byte. */
  uint8_t n = (uint8_t)(input->text_size < 127 ? input->text_size : 127);
  const uint8_t result[] = {0x0A, 0x0F, /* entities, 15 bytes */
                            0x0A, 0x04, 0x10, n,   0x20, n, /* span */
                            0x12, 0x07, 'A',  'B', 'I',  '_',
                            '1',  '_',  '0'}; /* label */
  return host->result_write(sink, result, sizeof(result));
}

#ifndef TEST_ABI_1_0_DIRTY_PADDING

static const nlpd_plugin_descriptor abi_1_0_descriptor = {
    TEST_ABI_1_0_DESCRIPTOR_SIZE,
    TEST_ABI_1_0_NAME,
    "1.0.0",
    "Test plugin: built against the ABI 1.0 header",
    test_any_language,
    1,
    NULL,
    0,
    "nlpd.v1.EntitiesResult",
    NULL,
    0,
    1};

static const nlpd_plugin_descriptor* abi_1_0_get_descriptor(void) {
  return &abi_1_0_descriptor;
}

#else

static nlpd_plugin_descriptor abi_1_0_descriptor;

static const nlpd_plugin_descriptor* abi_1_0_get_descriptor(void) {
  static int filled = 0;
  if (!filled) {
    /* Whatever the memory held before: the fields below overwrite all but
     * the padding. */
    memset(&abi_1_0_descriptor, 0xA5, sizeof(abi_1_0_descriptor));
    abi_1_0_descriptor.struct_size = TEST_ABI_1_0_DESCRIPTOR_SIZE;
    abi_1_0_descriptor.name = TEST_ABI_1_0_NAME;
    abi_1_0_descriptor.version = "1.0.0";
    abi_1_0_descriptor.description =
        "Test plugin: built against the ABI 1.0 header, descriptor padding "
        "not zero";
    abi_1_0_descriptor.languages = test_any_language;
    abi_1_0_descriptor.language_count = 1;
    abi_1_0_descriptor.dependencies = NULL;
    abi_1_0_descriptor.dependency_count = 0;
    abi_1_0_descriptor.result_type = "nlpd.v1.EntitiesResult";
    abi_1_0_descriptor.descriptor_set = NULL;
    abi_1_0_descriptor.descriptor_set_size = 0;
    abi_1_0_descriptor.thread_safe = 1;
    filled = 1;
  }
  return &abi_1_0_descriptor;
}

#endif

static nlpd_plugin_api abi_1_0_api = {sizeof(nlpd_plugin_api),
                                      NLPD_ABI_VERSION_MAJOR,
                                      NLPD_ABI_VERSION_MINOR,
                                      NULL,
                                      &test_create,
                                      &abi_1_0_analyze,
                                      &test_destroy};

NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void) {
  abi_1_0_api.descriptor = abi_1_0_get_descriptor();
  return &abi_1_0_api;
}

/* Writes sizeof of the ABI structs as this file was compiled to sizes[0..3]:
 * nlpd_host_api, nlpd_plugin_descriptor, nlpd_plugin_api, and the offset one
 * past nlpd_plugin_descriptor.thread_safe, its last field in ABI 1.0. (The
 * descriptor's struct_size is sizes[1], or sizes[3] for test_abi_1_0_tight.)
 */
NLPD_EXPORT void test_abi_1_0_struct_sizes(size_t sizes[4]) {
  sizes[0] = sizeof(nlpd_host_api);
  sizes[1] = sizeof(nlpd_plugin_descriptor);
  sizes[2] = sizeof(nlpd_plugin_api);
  sizes[3] = TEST_ABI_1_0_DESCRIPTOR_FIELDS_END;
}
