#include "service/wire_request.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/wire.pb.h"
#include "text/utf8.h"

namespace nlpd {
namespace {

absl::Status Parse(const grpc::ByteBuffer& payload,
                   google::protobuf::Message* message) {
  // ProtoBufferReader needs a mutable buffer; copying a ByteBuffer only
  // takes references to its slices.
  grpc::ByteBuffer buffer(payload);
  grpc::ProtoBufferReader reader(&buffer);
  if (!message->ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed ", message->GetDescriptor()->name(),
                     ": not a valid protobuf message"));
  }
  return absl::OkStatus();
}

absl::Status CheckUtf8(const std::string& value, absl::string_view field) {
  absl::Status status = text::ValidateUtf8(value);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": ", status.message()));
}

absl::StatusOr<v1::AnalyzeRequest> FromWire(server::wire::AnalyzeRequest wire) {
  v1::AnalyzeRequest request;
  for (std::string& analysis : *wire.mutable_analyses()) {
    if (absl::Status status = CheckUtf8(analysis, "analysis name");
        !status.ok()) {
      return status;
    }
    request.add_analyses(std::move(analysis));
  }
  if (absl::Status status = CheckUtf8(wire.language(), "language");
      !status.ok()) {
    return status;
  }
  request.set_language(std::move(*wire.mutable_language()));
  if (absl::Status status =
          CheckUtf8(wire.default_language(), "default_language");
      !status.ok()) {
    return status;
  }
  request.set_default_language(std::move(*wire.mutable_default_language()));
  for (int i = 0; i < wire.targets_size(); ++i) {
    server::wire::Target& wire_target = *wire.mutable_targets(i);
    v1::Target* target = request.add_targets();
    if (wire_target.has_range()) {
      target->mutable_range()->set_char_start(wire_target.range().char_start());
      target->mutable_range()->set_char_end(wire_target.range().char_end());
    } else if (wire_target.selector_case() == server::wire::Target::kText) {
      if (absl::Status status = CheckUtf8(wire_target.text(),
                                          absl::StrCat("target ", i, " text"));
          !status.ok()) {
        return status;
      }
      target->set_text(std::move(*wire_target.mutable_text()));
    }
  }
  for (std::string& name : *wire.mutable_results()) {
    if (absl::Status status = CheckUtf8(name, "result name"); !status.ok()) {
      return status;
    }
    request.add_results(std::move(name));
  }
  // As sent, also a value DocumentView does not list: the analyzer says so.
  request.set_document_view(wire.document_view());
  // Moved, not copied: the text may be megabytes.
  request.set_text(std::move(*wire.mutable_text()));
  return request;
}

}  // namespace

absl::StatusOr<v1::AnalyzeRequest> ReadAnalyzeRequest(
    const grpc::ByteBuffer& payload) {
  server::wire::AnalyzeRequest wire;
  if (absl::Status status = Parse(payload, &wire); !status.ok()) return status;
  return FromWire(std::move(wire));
}

StreamItem ReadStreamRequest(const grpc::ByteBuffer& payload) {
  server::wire::StreamRequest wire;
  if (absl::Status status = Parse(payload, &wire); !status.ok()) {
    return {"", status};
  }
  std::string id = std::move(*wire.mutable_id());
  if (!text::ValidateUtf8(id).ok()) {
    return {"", absl::InvalidArgumentError("request id is not valid UTF-8")};
  }
  return {std::move(id), FromWire(std::move(*wire.mutable_request()))};
}

absl::Status WriteMessage(const google::protobuf::Message& message,
                          grpc::ByteBuffer* payload) {
  payload->Clear();  // the serializer needs an empty buffer
  bool own_buffer = false;
  grpc::Status status =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(
          message, payload, &own_buffer);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot serialize response: ", status.error_message()));
  }
  return absl::OkStatus();
}

}  // namespace nlpd
