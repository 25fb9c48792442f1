// The assembled server over real gRPC on a free loopback port with the test
// plugins: unary calls, status codes, plugin listing, and a long stream that
// must come back complete and in order.
#include "service/server.h"

#include <gmock/gmock.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "config/server_config.h"
#include "nlpd/v1/nlpd.grpc.pb.h"

namespace nlpd {
namespace {

using ::testing::HasSubstr;

// test_echo's result: an EntitiesResult in custom_results (its name is not
// a typed field's); empty when absent or of another type.
v1::EntitiesResult EchoResult(const v1::AnalyzeResponse& response) {
  v1::EntitiesResult result;
  auto found = response.custom_results().find("test_echo");
  if (found != response.custom_results().end()) found->second.UnpackTo(&result);
  return result;
}

v1::AnalyzeRequest EchoRequest(const std::string& text) {
  v1::AnalyzeRequest request;
  request.set_text(text);
  request.add_analyses("test_echo");
  return request;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(2, 0); }

  void Start(uint32_t workers, uint32_t queue_size) {
    server_.reset();
    v1::ServerConfig config;
    config.set_listen("127.0.0.1:0");
    config.add_plugin_dirs(NLPD_TEST_PLUGIN_DIR);
    config.set_workers(workers);
    config.set_queue_size(queue_size);
    config.set_stream_window(4);
    ApplyDefaults({}, &config);
    absl::StatusOr<std::unique_ptr<Server>> server =
        Server::Start(config, NLPD_PLUGIN_HOST);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::AnalysisService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::AnalysisService::Stub> stub_;
};

TEST_F(ServerTest, AnalyzeAndErrorCodes) {
  grpc::ClientContext context;
  v1::AnalyzeRequest request;
  request.set_text("Der Bundestag tagt heute. Morgen folgt die Abstimmung.");
  request.add_analyses("test_echo");
  v1::AnalyzeResponse response;
  grpc::Status status = stub_->Analyze(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.document().sentences_size(), 2);
  EXPECT_FALSE(response.has_entities());
  EXPECT_EQ(EchoResult(response).entities_size(), 1);

  grpc::ClientContext unknown_context;
  request.set_analyses(0, "nope");
  status = stub_->Analyze(&unknown_context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("unknown analysis 'nope'"));
}

TEST_F(ServerTest, ListPluginsShowsPluginsAndLoadErrors) {
  grpc::ClientContext context;
  v1::ListPluginsResponse response;
  ASSERT_TRUE(stub_->ListPlugins(&context, {}, &response).ok());
  ASSERT_EQ(response.plugins_size(), 3);
  EXPECT_EQ(response.plugins(0).name(), "test_echo");
  EXPECT_EQ(response.plugins(1).dependencies(0), "test_echo");
  EXPECT_EQ(response.plugins(2).name(), "test_targets");
  EXPECT_EQ(response.load_errors_size(), 4);
}

TEST_F(ServerTest, StreamAnswersEveryRequestInOrder) {
  grpc::ClientContext context;
  auto stream = stub_->AnalyzeStream(&context);
  constexpr int kDocuments = 2000;
  // Write from a second thread while reading here, as a real client does;
  // the server's window makes the writer wait.
  std::thread writer([&] {
    for (int i = 0; i < kDocuments; ++i) {
      v1::StreamRequest request;
      request.set_id(absl::StrCat("doc-", i));
      request.mutable_request()->set_text(
          i == 1000 ? "" : absl::StrCat("Meldung Nummer ", i, " aus Berlin."));
      request.mutable_request()->add_analyses("test_echo");
      ASSERT_TRUE(stream->Write(request));
    }
    stream->WritesDone();
  });
  v1::StreamResponse response;
  int received = 0;
  while (stream->Read(&response)) {
    EXPECT_EQ(response.id(), absl::StrCat("doc-", received));
    if (received == 1000) {
      EXPECT_EQ(response.error().code(),
                static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
    } else {
      EXPECT_EQ(EchoResult(response.response()).entities_size(), 1)
          << response.id();
    }
    ++received;
  }
  writer.join();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(received, kDocuments);
}

TEST_F(ServerTest, BusyPortIsAnErrorNotASharedPort) {
  v1::ServerConfig config;
  config.set_listen(server_->address());
  ApplyDefaults({}, &config);
  absl::StatusOr<std::unique_ptr<Server>> second =
      Server::Start(config, NLPD_PLUGIN_HOST);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr(server_->address()));
}

TEST_F(ServerTest, ShutdownLetsInFlightCallsFinish) {
  grpc::ClientContext context;
  v1::AnalyzeResponse response;
  grpc::Status status;
  std::thread caller([&] {
    status = stub_->Analyze(&context, EchoRequest("Eine SLOW_PLUGIN Meldung."),
                            &response);
  });
  absl::SleepFor(absl::Milliseconds(200));  // the call is in the plugin now
  server_->Shutdown(absl::Seconds(10));
  caller.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(EchoResult(response).entities_size(), 1);
}

TEST_F(ServerTest, FullQueueAnswersResourceExhausted) {
  Start(/*workers=*/1, /*queue_size=*/1);
  constexpr int kCalls = 4;
  std::vector<grpc::Status> statuses(kCalls);
  std::vector<std::thread> callers;
  callers.reserve(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      grpc::ClientContext context;
      v1::AnalyzeResponse response;
      statuses[i] =
          stub_->Analyze(&context, EchoRequest("SLOW_PLUGIN"), &response);
    });
  }
  for (std::thread& caller : callers) caller.join();
  int exhausted = 0;
  for (const grpc::Status& status : statuses) {
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++exhausted;
      EXPECT_THAT(status.error_message(), HasSubstr("server busy"));
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
  }
  // At most one call runs and one waits, so some find the queue full; the
  // first accepted call is served.
  EXPECT_GE(exhausted, kCalls - 2);
  EXPECT_LE(exhausted, kCalls - 1);
}

}  // namespace
}  // namespace nlpd
