// libFuzzer target: nlpd::ReadAnalyzeRequest and nlpd::ReadStreamRequest
// (server/service/wire_request.h) on arbitrary bytes in a grpc::ByteBuffer,
// split into 1-3 slices (byte 0 chooses the split) so the multi-slice path
// of the zero-copy reader is exercised. Must never crash; in addition:
//  - an accepted request has UTF-8 analysis names and language (checked
//    here independently), and a stream item's id is UTF-8;
//  - an accepted request written with WriteMessage reads back the same;
//  - the reading agrees with the generated nlpd.v1 parser: whenever that
//    parser (which requires every string to be UTF-8) accepts the bytes,
//    ReadAnalyzeRequest accepts them too, with equal fields.
#include <grpc/grpc.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "nlpd/v1/nlpd.pb.h"
#include "service/wire_request.h"
#include "utf8_oracle.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %s\n", what);
  std::abort();
}

bool IsUtf8(std::string_view s) {
  return nlpd::fuzz::DecodeUtf8(s, nullptr, nullptr);
}

void CheckAccepted(const nlpd::v1::AnalyzeRequest& request) {
  for (const std::string& a : request.analyses()) {
    if (!IsUtf8(a)) Fail("accepted analysis name is not UTF-8");
  }
  if (!IsUtf8(request.language())) Fail("accepted language is not UTF-8");
  grpc::ByteBuffer out;
  if (!nlpd::WriteMessage(request, &out).ok()) {
    // Text that is not UTF-8 cannot be serialized as nlpd.v1 (proto3
    // string); the server never writes requests, so only note it.
    return;
  }
  absl::StatusOr<nlpd::v1::AnalyzeRequest> again =
      nlpd::ReadAnalyzeRequest(out);
  if (!again.ok()) Fail("written request does not read back");
  if (!google::protobuf::util::MessageDifferencer::Equals(request, *again)) {
    Fail("written request reads back different");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  grpc_init();
  // Protobuf logs every non-UTF-8 proto3 string it meets; silence it.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t split = data[0];
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  const size_t n = size - 1;
  // Up to three slices at positions chosen by byte 0.
  std::vector<grpc::Slice> slices;
  const size_t a = n == 0 ? 0 : (split & 0x0F) % (n + 1);
  const size_t b = n == 0 ? 0 : a + ((split >> 4) % (n - a + 1));
  const size_t cuts[] = {0, a, b, n};
  for (int i = 0; i < 3; ++i) {
    if (cuts[i + 1] > cuts[i]) {
      slices.emplace_back(bytes + cuts[i], cuts[i + 1] - cuts[i]);
    }
  }
  grpc::ByteBuffer payload(slices.data(), slices.size());
  const std::string flat(bytes, n);

  absl::StatusOr<nlpd::v1::AnalyzeRequest> request =
      nlpd::ReadAnalyzeRequest(payload);
  if (request.ok()) {
    CheckAccepted(*request);
  } else if (!absl::IsInvalidArgument(request.status())) {
    Fail("ReadAnalyzeRequest error is not INVALID_ARGUMENT");
  }
  nlpd::v1::AnalyzeRequest generated;
  if (generated.ParseFromString(flat)) {
    // Unknown fields (also a known number with the wrong wire type) are
    // dropped by the server on purpose; compare the known fields only.
    generated.DiscardUnknownFields();
    if (!request.ok())
      Fail("nlpd.v1 parser accepts what ReadAnalyzeRequest rejects");
    if (!google::protobuf::util::MessageDifferencer::Equals(generated,
                                                            *request)) {
      Fail("ReadAnalyzeRequest differs from the nlpd.v1 parser");
    }
  }

  nlpd::StreamItem item = nlpd::ReadStreamRequest(payload);
  if (!IsUtf8(item.id)) Fail("stream id is not UTF-8");
  if (item.request.ok()) {
    CheckAccepted(*item.request);
  } else if (!absl::IsInvalidArgument(item.request.status())) {
    Fail("ReadStreamRequest error is not INVALID_ARGUMENT");
  }
  return 0;
}
