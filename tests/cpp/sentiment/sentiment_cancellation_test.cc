// The built sentiment plugin through the C ABI with a test host, after
// "entities" (whose result it needs): the cancellation suite every built-in
// plugin passes (tests/cpp/plugin_abi/cancellation_tests.h).
#include <gtest/gtest.h>

#include "cancellation_tests.h"

namespace nlpd::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(
    Sentiment, PluginCancellationTest,
    ::testing::Values(CancellationCase{
        "sentiment", NLPD_SENTIMENT_PLUGIN_FILE, {NLPD_ENTITIES_PLUGIN_FILE}}),
    CancellationCaseName);

}  // namespace
}  // namespace nlpd::testing
