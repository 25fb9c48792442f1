#include "config/server_config.h"

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
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
