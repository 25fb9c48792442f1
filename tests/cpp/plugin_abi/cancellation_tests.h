// The cancellation tests every built-in plugin passes (ABI 1.1), through
// the C ABI with the test host of abi_test_host.h:
//  - its descriptor says checks_cancellation = 1;
//  - a call the host never cancels answers, polling is_cancelled at least
//    once per sentence, and a host of ABI 1.0 (no is_cancelled) gets the
//    same result;
//  - a call the host says is cancelled from the start ends at once, on a
//    long text, with NLPD_ERROR_CANCELLED and no result;
//  - a call cancelled midway or at the last poll ends with
//    NLPD_ERROR_CANCELLED at the first poll answered 1.
//
// A plugin's test binary links nlpd_plugin_cancellation_tests and
// instantiates the suite with its case:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Stance, PluginCancellationTest,
//       ::testing::Values(nlpd::testing::CancellationCase{
//           "stance", NLPD_STANCE_PLUGIN_FILE, {NLPD_ENTITIES_PLUGIN_FILE}}),
//       nlpd::testing::CancellationCaseName);
#ifndef NLPD_TESTS_CPP_PLUGIN_ABI_CANCELLATION_TESTS_H_
#define NLPD_TESTS_CPP_PLUGIN_ABI_CANCELLATION_TESTS_H_

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "abi_test_host.h"
#include "nlpd/plugin.h"
#include "nlpd/v1/plugin.pb.h"

namespace nlpd::testing {

// One plugin under test.
struct CancellationCase {
  // The plugin's name, as its descriptor gives it; names the tests.
  std::string name;
  // The built plugin file.
  std::string plugin_file;
  // The files of the plugins whose results it needs, in dependency order:
  // each runs first, through the ABI, and its result goes into
  // PluginRequest.dependency_results under its name.
  std::vector<std::string> dependency_files;
};

// The case's name, for test names: "stance".
std::string CancellationCaseName(
    const ::testing::TestParamInfo<CancellationCase>& info);
// Prints the case's name in test failures and test lists.
void PrintTo(const CancellationCase& test_case, std::ostream* os);

class PluginCancellationTest
    : public ::testing::TestWithParam<CancellationCase> {
 protected:
  void SetUp() override;

  // The directory of the plugin file.
  std::string PluginDir() const;

  const nlpd_plugin_api* api_ = nullptr;
  std::unique_ptr<PluginInstance> instance_;
  // A German news text of several hundred sentences, run through the
  // server's text pipeline, with the dependencies' results.
  nlpd::v1::PluginRequest long_request_;
};

}  // namespace nlpd::testing

#endif  // NLPD_TESTS_CPP_PLUGIN_ABI_CANCELLATION_TESTS_H_
