// nlpd-health: asks a server for its health over the gRPC health protocol
// (grpc.health.v1.Health/Check) and exits 0 when it answers SERVING. Made for
// container health checks (the Dockerfile's HEALTHCHECK), where the Python
// client's `nlpctl health` is not installed; it needs only the libraries the
// server itself links.
//
//   nlpd-health [--target=127.0.0.1:50051] [--service=] [--timeout_seconds=2]
//
// Prints the status (SERVING, NOT_SERVING, SERVICE_UNKNOWN) or the failed
// call's code and message on one line. Exit codes: 0 SERVING, 1 any other
// status or a failed call (not listening, deadline), 2 a usage error.
// Plaintext only: a server with --tls_cert is checked from outside with
// `nlpctl --tls_ca ... health`.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpc/health/v1/health.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "The server, as a gRPC target (HOST:PORT)");
ABSL_FLAG(std::string, service, "",
          "The service to ask about; empty: the server as a whole");
ABSL_FLAG(double, timeout_seconds, 2.0, "Deadline of the call");

namespace {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Exits 0 when the nlpd server at --target answers SERVING to "
      "grpc.health.v1.Health/Check, 1 otherwise.\n"
      "Usage: nlpd-health [--target=HOST:PORT] [--service=NAME] "
      "[--timeout_seconds=S]");
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  const double timeout = absl::GetFlag(FLAGS_timeout_seconds);
  if (rest.size() > 1 || !(timeout > 0)) {
    std::fprintf(stderr,
                 "nlpd-health: takes only flags, and --timeout_seconds > 0 "
                 "(see --help)\n");
    return 2;
  }

  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  const std::string request_bytes = request.SerializeAsString();
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);

  grpc::GenericStub stub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::microseconds(static_cast<int64_t>(timeout * 1e6)));
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
      stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check",
                            request_buffer, &queue);
  call->StartCall();
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  call->Finish(&response_buffer, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }

  if (!status.ok()) {
    const char* code =
        status.error_code() == grpc::StatusCode::UNAVAILABLE ? "UNAVAILABLE"
        : status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
            ? "DEADLINE_EXCEEDED"
        : status.error_code() == grpc::StatusCode::NOT_FOUND ? "NOT_FOUND"
                                                             : "ERROR";
    std::printf("%s (code %d): %s\n", code,
                static_cast<int>(status.error_code()),
                status.error_message().c_str());
    return 1;
  }
  grpc::health::v1::HealthCheckResponse response;
  if (!response.ParseFromString(Flatten(response_buffer))) {
    std::printf("ERROR: not a HealthCheckResponse\n");
    return 1;
  }
  std::printf("%s\n", grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                          response.status())
                          .c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : 1;
}
