// Runs one plugin file (.so or .py) on texts without a server, the way the
// server would run it, and reports every breach of the plugin contract:
// the file refused at load, an error or exception, a crash, bytes that are
// not the declared result type, fields the type does not have, spans
// outside the text or inside a UTF-8 sequence. The checks are the server's
// own (plugin loader, result checker); nlpd-plugin-test, the GoogleTest
// helper nlpd/plugin_test.h and the pytest fixture nlpd.testing all report
// what this class finds.
#ifndef NLPD_SERVER_PLUGIN_TEST_PLUGIN_TESTER_H_
#define NLPD_SERVER_PLUGIN_TEST_PLUGIN_TESTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlpd/v1/nlpd.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "text/text_pipeline.h"

namespace nlpd {

struct PluginTesterOptions {
  // The plugin under test: a plugin library or a Python plugin file.
  std::string plugin_file;
  // Where its dependencies come from (the built-in plugins).
  std::vector<std::string> plugin_dirs;
  // nlpd-plugin-host, which probes and hosts plugin libraries.
  std::string host_binary;
  // ServerConfig.python for a Python plugin (see FindPython).
  std::string python;
  // ServerConfig.plugins[name].config, passed to the plugin's create().
  std::string config;
  // How long one text may take.
  absl::Duration timeout = absl::Seconds(30);
  // Indent TextReport::result_json for people (else one line).
  bool pretty_json = false;
};

// What became of one text.
struct TextReport {
  enum class Outcome {
    kOk,       // the plugin ran and its result passed every check
    kSkipped,  // the plugin did not run (language); no breach
    kBreach,   // the contract was broken; `message` says how
  };
  Outcome outcome = Outcome::kOk;
  // The document's language (given or identified).
  std::string language;
  // Why it was skipped or how the contract was broken.
  std::string message;
  // kOk: the decoded result, protobuf JSON with the .proto field names, in
  // field order.
  std::string result_json;
  // How long the plugin took (0 when it did not run).
  absl::Duration took;
};

class PluginTester {
 public:
  // Probes the file, loads the built-in plugins in this process and the
  // plugin under test in its own process (so that a crash is a report, not
  // the tester's death). Errors: FAILED_PRECONDITION when the file is
  // refused (the message says why: a contract breach), INVALID_ARGUMENT for
  // bad options, NOT_FOUND for a missing file or interpreter.
  static absl::StatusOr<std::unique_ptr<PluginTester>> Create(
      PluginTesterOptions options);

  // The plugin under test as the server lists it.
  const v1::PluginInfo& info() const { return info_; }

  // Runs the plugin (and its dependencies) on `text`; `language` as in
  // AnalyzeRequest.language ("" identifies it). Thread-compatible.
  TextReport Run(std::string_view text, const std::string& language) const;

 private:
  PluginTester() = default;

  // The plugin's result in `response` as JSON; a breach message on error.
  absl::StatusOr<std::string> ResultJson(
      const v1::AnalyzeResponse& response) const;

  PluginTesterOptions options_;
  v1::PluginInfo info_;
  std::unique_ptr<text::TextPipeline> text_pipeline_;
  std::unique_ptr<PluginManager> plugins_;
  std::unique_ptr<Analyzer> analyzer_;
  // The result type, from the generated pool (nlpd.v1) or from the
  // plugin's descriptor set.
  std::unique_ptr<google::protobuf::DescriptorPool> own_pool_;
  const google::protobuf::Descriptor* result_type_ = nullptr;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGIN_TEST_PLUGIN_TESTER_H_
