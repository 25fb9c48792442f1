// GoogleTest helper for plugin authors: runs a plugin file on texts through
// nlpd-plugin-test (the server's loader, isolation and result checks,
// without a server) and returns the decoded result, or the breach of the
// plugin contract as an error. A plugin's test is three lines:
//
//   TEST(TextStats, CountsWords) {
//     auto stats = nlpd::testing::RunPlugin<textstats::v1::TextStats>(
//         "Two words.", "en");
//     ASSERT_TRUE(stats.ok()) << stats.status();
//     EXPECT_EQ(stats->words(), 2);
//   }
//
// nlpd_add_plugin(<name> ... TESTS <file.cc>...) builds such tests with
// GoogleTest, defines NLPD_PLUGIN_FILE (the plugin it builds) and
// NLPD_PLUGIN_TEST_BINARY (nlpd-plugin-test) and registers them with
// CTest. Header-only; POSIX.
#ifndef NLPD_PLUGIN_TEST_H_
#define NLPD_PLUGIN_TEST_H_

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

extern char** environ;  // NOLINT: POSIX, for posix_spawn

namespace nlpd::testing {

// What became of one text (one line of nlpd-plugin-test --json).
struct TextRun {
  // "ok", "skipped" (the plugin does not support the text's language) or
  // "breach".
  std::string outcome;
  std::string language;
  // Why it was skipped, or how the contract was broken.
  std::string message;
  // The result as protobuf JSON, when outcome is "ok".
  std::string result_json;
  int64_t took_us = 0;
};

// Runs `plugin_file` (.so or .py) on `texts` (one line each) with
// `binary` (nlpd-plugin-test); `language` as AnalyzeRequest.language.
// Returns one TextRun per text. Errors: FAILED_PRECONDITION naming the text
// and the breach when any text broke the contract or the file was refused;
// INVALID_ARGUMENT for a text with a line break or a usage error; INTERNAL
// when the binary cannot run. Thread-compatible; starts one process.
inline absl::StatusOr<std::vector<TextRun>> RunPluginOnTexts(
    const std::string& binary, const std::string& plugin_file,
    const std::vector<std::string>& texts, const std::string& language = "") {
  std::string input;
  for (const std::string& text : texts) {
    if (text.find_first_of("\r\n") != std::string::npos) {
      return absl::InvalidArgumentError("a text must be one line");
    }
    input += text + "\n";
  }
  std::vector<std::string> args = {binary, plugin_file, "--file=-", "--json"};
  if (!language.empty()) args.push_back("--language=" + language);
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int to_child[2];
  int from_child[2];
  if (pipe(to_child) != 0) return absl::InternalError("pipe() failed");
  if (pipe(from_child) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return absl::InternalError("pipe() failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, to_child[1]);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  if (spawned != 0) {
    close(to_child[1]);
    close(from_child[0]);
    return absl::InternalError("cannot run " + binary);
  }
  // The tool reads every text before it prints, so writing all first
  // cannot deadlock. A tool that exits early (a refused plugin) must not
  // kill this process with SIGPIPE: block it on this thread while writing
  // and take back one it raised.
  sigset_t sigpipe;
  sigset_t old_mask;
  sigemptyset(&sigpipe);
  sigaddset(&sigpipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &sigpipe, &old_mask);
  bool broken_pipe = false;
  for (size_t written = 0; written < input.size();) {
    const ssize_t n =
        write(to_child[1], input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      broken_pipe = n < 0 && errno == EPIPE;
      break;
    }
    written += static_cast<size_t>(n);
  }
  close(to_child[1]);
  if (broken_pipe) {
    const timespec no_wait = {0, 0};
    sigtimedwait(&sigpipe, nullptr, &no_wait);
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  std::string output;
  char buffer[1 << 14];
  for (ssize_t n; (n = read(from_child[0], buffer, sizeof(buffer))) > 0;) {
    output.append(buffer, static_cast<size_t>(n));
  }
  close(from_child[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    return absl::InvalidArgumentError(
        binary + " refused the arguments (see its stderr)");
  }
  const std::string ended =
      WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                        : "signal " + std::to_string(WTERMSIG(status));

  std::vector<TextRun> runs;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  for (size_t start = 0; start < output.size();) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    google::protobuf::Struct line;
    if (!google::protobuf::util::JsonStringToMessage(
             output.substr(start, end - start), &line)
             .ok()) {
      return absl::InternalError(
          absl::StrCat("unexpected output (", ended, "): ", output));
    }
    start = end + 1;
    const auto& fields = line.fields();
    if (auto error = fields.find("load_error"); error != fields.end()) {
      return absl::FailedPreconditionError("the plugin was refused: " +
                                           error->second.string_value());
    }
    if (fields.count("plugin") != 0) continue;
    TextRun run;
    auto text_field = [&fields](const char* name) {
      auto found = fields.find(name);
      return found == fields.end() ? std::string()
                                   : found->second.string_value();
    };
    run.outcome = text_field("outcome");
    run.language = text_field("language");
    run.message = text_field("message");
    if (auto took = fields.find("took_us"); took != fields.end()) {
      run.took_us = static_cast<int64_t>(took->second.number_value());
    }
    if (auto result = fields.find("result"); result != fields.end()) {
      (void)google::protobuf::util::MessageToJsonString(
          result->second, &run.result_json, print);
    }
    if (run.outcome == "breach") {
      return absl::FailedPreconditionError(
          "text " + std::to_string(runs.size() + 1) + ": " + run.message);
    }
    runs.push_back(std::move(run));
  }
  if (runs.size() != texts.size()) {
    return absl::InternalError(absl::StrCat(binary, " answered ", runs.size(),
                                            " of ", texts.size(), " texts (",
                                            ended, "; see its stderr)"));
  }
  return runs;
}

// Runs the plugin on `text` and decodes its result as Result. Errors: as
// RunPluginOnTexts; NOT_FOUND when the plugin did not run on the text (its
// language); INTERNAL when the result is not a Result.
template <typename Result>
absl::StatusOr<Result> RunPlugin(const std::string& binary,
                                 const std::string& plugin_file,
                                 std::string_view text,
                                 const std::string& language = "") {
  absl::StatusOr<std::vector<TextRun>> runs =
      RunPluginOnTexts(binary, plugin_file, {std::string(text)}, language);
  if (!runs.ok()) return runs.status();
  const TextRun& run = runs->front();
  if (run.outcome != "ok") {
    return absl::NotFoundError("the plugin did not run: " + run.message);
  }
  Result result;
  google::protobuf::util::JsonParseOptions parse;
  if (!google::protobuf::util::JsonStringToMessage(run.result_json, &result,
                                                   parse)
           .ok()) {
    return absl::InternalError("the result is not a " +
                               Result::descriptor()->full_name() + ": " +
                               run.result_json);
  }
  return result;
}

#if defined(NLPD_PLUGIN_FILE) && defined(NLPD_PLUGIN_TEST_BINARY)
// RunPlugin on the plugin this test was built for (nlpd_add_plugin TESTS).
template <typename Result>
absl::StatusOr<Result> RunPlugin(std::string_view text,
                                 const std::string& language = "") {
  return RunPlugin<Result>(NLPD_PLUGIN_TEST_BINARY, NLPD_PLUGIN_FILE, text,
                           language);
}
#endif

}  // namespace nlpd::testing

#endif  // NLPD_PLUGIN_TEST_H_
