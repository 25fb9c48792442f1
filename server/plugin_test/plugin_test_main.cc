// nlpd-plugin-test: runs one plugin file (.so or .py) on texts without a
// server, prints each decoded result, and exits non-zero when the plugin
// breaks its contract (see plugin_tester.h).
//
//   nlpd-plugin-test PLUGIN_FILE (--text=TEXT | --file=FILE) [--language=L]
//
// Exit codes: 0 every text ran or was skipped for its language, 1 a
// contract breach, 2 a usage error (bad flags, missing file).
//
// --json prints one JSON object per line for programs (the GoogleTest
// helper nlpd/plugin_test.h and the pytest fixture nlpd.testing): first
// {"plugin": PluginInfo} (or {"load_error": "..."}), then per text
// {"index": i, "outcome": "ok"|"skipped"|"breach", "language": ...,
//  "took_us": ..., "result": {...}, "message": "..."}.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/build_info.h"
#include "common/log.h"
#include "common/repeated_flag.h"
#include "config/server_config.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "plugin_test/plugin_tester.h"

ABSL_FLAG(std::string, text, "", "The text to analyze");
ABSL_FLAG(std::string, file, "",
          "A file of texts, one per line (blank lines are skipped); - reads "
          "standard input");
ABSL_FLAG(std::string, language, "",
          "The texts' language (BCP-47); default: identified per text");
ABSL_FLAG(std::vector<std::string>, plugin_dir, {},
          "Where the plugin's dependencies come from; repeatable (default: "
          "the built-in plugins beside this binary)");
ABSL_FLAG(std::string, python, "",
          "Python interpreter of a .py plugin (default: $VIRTUAL_ENV's, else "
          "python3 on $PATH)");
ABSL_FLAG(std::string, config, "",
          "The plugin's configuration, as ServerConfig.plugins[name].config");
ABSL_FLAG(double, timeout_seconds, 30, "Time allowed per text");
ABSL_FLAG(bool, json, false, "Print JSON lines for programs");

namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr int kBreach = 1;
constexpr int kUsage = 2;

int Usage(const std::string& message) {
  std::fprintf(stderr, "nlpd-plugin-test: %s\n", message.c_str());
  return kUsage;
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = pretty;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  if (pretty && !json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

Value StringValue(const std::string& text) {
  Value value;
  value.set_string_value(text);
  return value;
}

// `text` as a JSON string literal.
std::string Quoted(const std::string& text) {
  return ToJson(StringValue(text), false);
}

const char* OutcomeName(nlpd::TextReport::Outcome outcome) {
  switch (outcome) {
    case nlpd::TextReport::Outcome::kOk:
      return "ok";
    case nlpd::TextReport::Outcome::kSkipped:
      return "skipped";
    case nlpd::TextReport::Outcome::kBreach:
      break;
  }
  return "breach";
}

// The texts of --text or --file; an error message when neither works.
bool ReadTexts(std::vector<std::string>* texts, std::string* error) {
  const std::string text = absl::GetFlag(FLAGS_text);
  const std::string file = absl::GetFlag(FLAGS_file);
  if (text.empty() == file.empty()) {
    *error = "give exactly one of --text=TEXT and --file=FILE";
    return false;
  }
  if (!text.empty()) {
    texts->push_back(text);
    return true;
  }
  std::ifstream stream;
  std::istream* in = &std::cin;
  if (file != "-") {
    stream.open(file);
    if (!stream) {
      *error = absl::StrCat("cannot read ", file);
      return false;
    }
    in = &stream;
  }
  std::string line;
  while (std::getline(*in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      texts->push_back(line);
    }
  }
  if (texts->empty()) {
    *error = absl::StrCat(file, " holds no text");
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "runs an nlpd plugin on texts without a server and checks its "
      "contract.\nUsage: nlpd-plugin-test PLUGIN_FILE (--text=TEXT | "
      "--file=FILE) [--language=L]");
  absl::FlagsUsageConfig usage_config;
  usage_config.version_string = [] {
    return nlpd::VersionLine("nlpd-plugin-test");
  };
  absl::SetFlagsUsageConfig(std::move(usage_config));
  std::vector<std::string> plugin_dirs =
      nlpd::CollectRepeatedFlag(argc, argv, "plugin_dir");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() != 2) {
    return Usage("give one plugin file (.so or .py); see --help");
  }
  std::vector<std::string> texts;
  if (std::string error; !ReadTexts(&texts, &error)) return Usage(error);
  const bool json = absl::GetFlag(FLAGS_json);
  // The server's log lines (plugin loads) would drown the report.
  nlpd::SetLogLevel(nlpd::LogLevel::kWarning);

  nlpd::PluginTesterOptions options;
  options.plugin_file = positional[1];
  options.plugin_dirs = plugin_dirs.empty()
                            ? nlpd::BuiltInPluginDirs("/proc/self/exe")
                            : plugin_dirs;
  options.host_binary = nlpd::PluginHostBinary("/proc/self/exe");
  options.python = absl::GetFlag(FLAGS_python);
  options.config = absl::GetFlag(FLAGS_config);
  options.timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds));
  options.pretty_json = !json;
  absl::StatusOr<std::unique_ptr<nlpd::PluginTester>> tester =
      nlpd::PluginTester::Create(options);
  if (!tester.ok()) {
    const std::string message(tester.status().message());
    if (absl::IsNotFound(tester.status()) ||
        absl::IsInvalidArgument(tester.status())) {
      return Usage(message);
    }
    if (json) {
      Struct line;
      (*line.mutable_fields())["load_error"] = StringValue(message);
      std::printf("%s\n", ToJson(line, false).c_str());
    } else {
      std::printf("BREACH: the plugin was refused: %s\n", message.c_str());
    }
    return kBreach;
  }
  const nlpd::v1::PluginInfo& info = (*tester)->info();
  if (json) {
    std::printf("{\"plugin\":%s}\n", ToJson(info, false).c_str());
  } else {
    std::printf(
        "plugin '%s' %s from %s\n  result %s; languages %s; "
        "dependencies %s\n",
        info.name().c_str(), info.version().c_str(), info.path().c_str(),
        info.result_type().c_str(),
        absl::StrJoin(info.languages(), ", ").c_str(),
        info.dependencies().empty()
            ? "none"
            : absl::StrJoin(info.dependencies(), ", ").c_str());
  }
  std::fflush(stdout);

  int ok = 0;
  int skipped = 0;
  int breaches = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const nlpd::TextReport report =
        (*tester)->Run(texts[i], absl::GetFlag(FLAGS_language));
    switch (report.outcome) {
      case nlpd::TextReport::Outcome::kOk:
        ++ok;
        break;
      case nlpd::TextReport::Outcome::kSkipped:
        ++skipped;
        break;
      case nlpd::TextReport::Outcome::kBreach:
        ++breaches;
        break;
    }
    if (json) {
      // Built by hand so that the result keeps its field order.
      std::string line = absl::StrCat(
          "{\"index\":", i + 1, ",\"outcome\":\"", OutcomeName(report.outcome),
          "\",\"language\":", Quoted(report.language),
          ",\"took_us\":", absl::ToInt64Microseconds(report.took));
      if (!report.message.empty()) {
        absl::StrAppend(&line, ",\"message\":", Quoted(report.message));
      }
      if (!report.result_json.empty()) {
        absl::StrAppend(&line, ",\"result\":", report.result_json);
      }
      std::printf("%s}\n", line.c_str());
    } else {
      std::printf("\ntext %zu (%s", i + 1, report.language.c_str());
      if (report.outcome == nlpd::TextReport::Outcome::kOk) {
        std::printf(", %.2f ms): ok\n",
                    absl::ToDoubleMilliseconds(report.took));
        std::printf("%s\n", report.result_json.c_str());
      } else {
        std::printf("): %s: %s\n",
                    report.outcome == nlpd::TextReport::Outcome::kSkipped
                        ? "skipped"
                        : "BREACH",
                    report.message.c_str());
      }
    }
    std::fflush(stdout);
  }
  if (!json) {
    std::printf("\n%zu text(s): %d ok, %d skipped, %d breach(es)\n",
                texts.size(), ok, skipped, breaches);
  }
  return breaches > 0 ? kBreach : 0;
}
