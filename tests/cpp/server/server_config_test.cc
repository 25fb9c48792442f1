#include "config/server_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace nlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string WriteTempFile(const std::string& name,
                          const std::string& contents) {
  std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(path) << contents;
  return path.string();
}

TEST(ServerConfigTest, LoadsTextFormat) {
  std::string path = WriteTempFile("good.textproto", R"(
    listen: "0.0.0.0:6000"
    plugin_dirs: "/a" plugin_dirs: "/b"
    workers: 3
    plugins { key: "keywords" value { config: "max_keywords: 5" } }
  )");
  absl::StatusOr<v1::ServerConfig> config = LoadServerConfig(path);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen(), "0.0.0.0:6000");
  EXPECT_THAT(config->plugin_dirs(), ElementsAre("/a", "/b"));
  EXPECT_EQ(config->plugins().at("keywords").config(), "max_keywords: 5");
}

TEST(ServerConfigTest, ReportsLineAndColumnOfErrors) {
  std::string path = WriteTempFile("bad.textproto", "workers: 2\nwrokers: 3\n");
  absl::StatusOr<v1::ServerConfig> config = LoadServerConfig(path);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("bad.textproto:2:"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("wrokers"));
}

TEST(ServerConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadServerConfig("/nonexistent/nlpd.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ServerConfigTest, DefaultsFillOnlyUnsetFields) {
  v1::ServerConfig config;
  config.set_workers(4);
  config.set_max_text_bytes(10);
  ApplyDefaults({"/plugins"}, &config);
  EXPECT_EQ(config.listen(), "127.0.0.1:50051");
  EXPECT_THAT(config.plugin_dirs(), ElementsAre("/plugins"));
  EXPECT_EQ(config.workers(), 4u);
  EXPECT_EQ(config.queue_size(), 4u * kDefaultQueuePerWorker);
  EXPECT_EQ(config.stream_window(), 4u * kDefaultStreamWindowPerWorker);
  EXPECT_EQ(config.max_text_bytes(), 10u);
}

}  // namespace
}  // namespace nlpd
