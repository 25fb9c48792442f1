// The server's byte-level reading of requests (service/wire.proto) must stay
// in step with nlpd.v1: same field numbers, names and shapes.
#include "service/wire_request.h"

#include <gmock/gmock.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <gtest/gtest.h>

#include <string>

#include "service/wire.pb.h"

namespace nlpd {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every field of `wire` is a field of `api` with the same number, name,
// cardinality and oneof, and bytes stands only for string; message fields
// are compared recursively. `api` may have more fields (the server then
// ignores them), but every field of the request messages is read.
void ExpectSameShape(const Descriptor* wire, const Descriptor* api) {
  SCOPED_TRACE(api->full_name());
  EXPECT_EQ(wire->field_count(), api->field_count())
      << "a field of " << api->full_name() << " is not read by wire.proto";
  for (int i = 0; i < wire->field_count(); ++i) {
    const FieldDescriptor* field = wire->field(i);
    const FieldDescriptor* other = api->FindFieldByNumber(field->number());
    ASSERT_NE(other, nullptr) << field->full_name();
    EXPECT_EQ(field->name(), other->name());
    EXPECT_EQ(field->is_repeated(), other->is_repeated()) << field->name();
    EXPECT_EQ(field->containing_oneof() == nullptr,
              other->containing_oneof() == nullptr)
        << field->name();
    if (field->type() == FieldDescriptor::TYPE_BYTES) {
      EXPECT_EQ(other->type(), FieldDescriptor::TYPE_STRING) << field->name();
    } else {
      EXPECT_EQ(field->type(), other->type()) << field->name();
    }
    if (field->message_type() != nullptr) {
      ExpectSameShape(field->message_type(), other->message_type());
    }
    if (field->enum_type() != nullptr) {
      EXPECT_EQ(field->enum_type(), other->enum_type()) << field->name();
    }
  }
}

TEST(WireRequestTest, MirrorsTheApiMessages) {
  ExpectSameShape(server::wire::StreamRequest::descriptor(),
                  v1::StreamRequest::descriptor());
}

grpc::ByteBuffer Payload(const google::protobuf::Message& message) {
  grpc::ByteBuffer payload;
  EXPECT_TRUE(WriteMessage(message, &payload).ok());
  return payload;
}

TEST(WireRequestTest, ReadsTargets) {
  v1::AnalyzeRequest request;
  request.set_text("Ein Text.");
  request.add_targets()->set_text("Text");
  request.add_targets()->mutable_range()->set_char_end(3);
  absl::StatusOr<v1::AnalyzeRequest> read =
      ReadAnalyzeRequest(Payload(request));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->targets_size(), 2);
  EXPECT_EQ(read->targets(0).text(), "Text");
  EXPECT_TRUE(read->targets(1).has_range());
  EXPECT_EQ(read->targets(1).range().char_end(), 3u);
}

TEST(WireRequestTest, ReadsTheDocumentViewAlsoOneNotListed) {
  v1::AnalyzeRequest request;
  request.set_text("Ein Text.");
  request.set_document_view(v1::DOCUMENT_VIEW_RESULTS_ONLY);
  absl::StatusOr<v1::AnalyzeRequest> read =
      ReadAnalyzeRequest(Payload(request));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->document_view(), v1::DOCUMENT_VIEW_RESULTS_ONLY);
  // A value of a newer client reaches the analyzer, which names it.
  server::wire::AnalyzeRequest wire;
  wire.set_text("Ein Text.");
  wire.set_document_view(static_cast<v1::DocumentView>(9));
  read = ReadAnalyzeRequest(Payload(wire));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(static_cast<int>(read->document_view()), 9);
}

TEST(WireRequestTest, ReadsTheResultNamesAndRefusesOneNotUtf8) {
  v1::AnalyzeRequest request;
  request.set_text("Ein Text.");
  request.add_results("stance");
  request.add_results("entities");
  absl::StatusOr<v1::AnalyzeRequest> read =
      ReadAnalyzeRequest(Payload(request));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->results(), ElementsAre("stance", "entities"));
  server::wire::AnalyzeRequest wire;
  wire.set_text("Ein Text.");
  wire.add_results("st\xC3");
  read = ReadAnalyzeRequest(Payload(wire));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("result name"));
}

TEST(WireRequestTest, TargetTextThatIsNotUtf8IsInvalidArgument) {
  server::wire::AnalyzeRequest wire;
  wire.set_text("Ein Text.");
  wire.add_targets()->set_text("ok");
  wire.add_targets()->set_text("bad \xC3");
  absl::StatusOr<v1::AnalyzeRequest> read = ReadAnalyzeRequest(Payload(wire));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status().message()),
              HasSubstr("target 1 text: invalid UTF-8 at byte offset 4"));
}

}  // namespace
}  // namespace nlpd
