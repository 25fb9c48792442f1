#include "config/server_config.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace nlpd {
namespace {

// Collects the parser's errors instead of letting protobuf log them.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_error_.empty()) {
      // Lines and columns are zero-based in the parser.
      first_error_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& first_error() const { return first_error_; }

 private:
  std::string first_error_;
};

}  // namespace

absl::StatusOr<v1::ServerConfig> LoadServerConfig(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFile("config", path);
  if (!contents.ok()) return contents.status();
  v1::ServerConfig config;
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(*contents, &config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", path, ":", errors.first_error()));
  }
  return config;
}

void ApplyDefaults(const std::vector<std::string>& default_plugin_dirs,
                   v1::ServerConfig* config) {
  if (config->listen().empty()) config->set_listen(kDefaultListen);
  if (config->plugin_dirs().empty()) {
    for (const std::string& dir : default_plugin_dirs) {
      config->add_plugin_dirs(dir);
    }
  }
  if (config->workers() == 0) {
    config->set_workers(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (config->queue_size() == 0) {
    config->set_queue_size(kDefaultQueuePerWorker * config->workers());
  }
  if (config->max_text_bytes() == 0) {
    config->set_max_text_bytes(kDefaultMaxTextBytes);
  }
  if (config->deadline_grace_seconds() <= 0) {
    config->set_deadline_grace_seconds(kDefaultDeadlineGraceSeconds);
  }
  if (config->stream_window() == 0) {
    config->set_stream_window(kDefaultStreamWindowPerWorker *
                              config->workers());
  }
}

std::string PluginHostBinary(const std::string& binary_path) {
  std::error_code error;
  std::filesystem::path binary =
      std::filesystem::weakly_canonical(binary_path, error);
  if (error) binary = binary_path;
  return (binary.parent_path() / "nlpd-plugin-host").string();
}

namespace {

// `name` looked up on $PATH, or "" when no executable of that name is there.
std::string SearchPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace

absl::StatusOr<std::string> FindPython(const std::string& configured) {
  if (!configured.empty()) {
    std::string found = absl::StrContains(configured, '/')
                            ? configured
                            : SearchPath(configured);
    if (found.empty() || access(found.c_str(), X_OK) != 0) {
      return absl::NotFoundError(absl::StrCat(
          "--python=", configured, ": no such executable interpreter"));
    }
    return std::filesystem::absolute(found).string();
  }
  if (const char* venv = std::getenv("VIRTUAL_ENV");
      venv != nullptr && *venv != '\0') {
    std::string python = absl::StrCat(venv, "/bin/python");
    if (access(python.c_str(), X_OK) == 0) return python;
  }
  std::string python = SearchPath("python3");
  if (python.empty()) {
    return absl::NotFoundError(
        "Python plugins need a Python interpreter: none is active "
        "($VIRTUAL_ENV) and there is no python3 on $PATH; give one with "
        "--python=PATH");
  }
  return python;
}

std::vector<std::string> BuiltInPluginDirs(const std::string& binary_path) {
  std::error_code error;
  std::filesystem::path binary =
      std::filesystem::weakly_canonical(binary_path, error);
  if (error) binary = binary_path;
  const std::filesystem::path bin_dir = binary.parent_path();
  std::vector<std::string> dirs;
  for (const std::filesystem::path& candidate :
       {bin_dir / ".." / "plugins",
        bin_dir / ".." / "lib" / "nlpd" / "plugins"}) {
    if (std::filesystem::is_directory(candidate, error)) {
      dirs.push_back(
          std::filesystem::weakly_canonical(candidate, error).string());
    }
  }
  return dirs;
}

}  // namespace nlpd
