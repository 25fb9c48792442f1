// The built entities plugin through the C ABI with a test host:
// the cancellation suite every built-in plugin passes
// (tests/cpp/plugin_abi/cancellation_tests.h).
#include <gtest/gtest.h>

#include "cancellation_tests.h"

namespace nlpd::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Entities, PluginCancellationTest,
                         ::testing::Values(CancellationCase{
                             "entities", NLPD_ENTITIES_PLUGIN_FILE, {}}),
                         CancellationCaseName);

}  // namespace
}  // namespace nlpd::testing
