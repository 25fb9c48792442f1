// Reads requests of nlpd.v1.AnalysisService from the raw gRPC payload (see
// wire.proto for why), and writes responses back to it.
#ifndef NLPD_SERVER_SERVICE_WIRE_REQUEST_H_
#define NLPD_SERVER_SERVICE_WIRE_REQUEST_H_

#include <grpcpp/support/byte_buffer.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "nlpd/v1/nlpd.pb.h"

namespace nlpd {

// Parses an AnalyzeRequest from `payload`. The text is taken as sent, not
// yet validated (the analyzer does that, naming the offset); analysis names
// and the language must be UTF-8. Errors: INVALID_ARGUMENT.
absl::StatusOr<v1::AnalyzeRequest> ReadAnalyzeRequest(
    const grpc::ByteBuffer& payload);

// A StreamRequest as read from the wire: the caller's id, and the request or
// the reason it cannot be analyzed.
struct StreamItem {
  std::string id;
  absl::StatusOr<v1::AnalyzeRequest> request;
};

// Parses one StreamRequest from `payload`. A malformed message or a bad
// field fails only this item (request holds INVALID_ARGUMENT); an id that is
// not UTF-8 is replaced by "".
StreamItem ReadStreamRequest(const grpc::ByteBuffer& payload);

// Serializes `message` into `payload`. Errors: INTERNAL.
absl::Status WriteMessage(const google::protobuf::Message& message,
                          grpc::ByteBuffer* payload);

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_WIRE_REQUEST_H_
