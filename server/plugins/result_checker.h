// Checks the spans in a plugin's result against the document before the
// result reaches a client: every nlpd.v1.Span anywhere inside the result
// must lie inside Document.text, on UTF-8 character boundaries, with byte
// and code-point offsets that agree.
//
// Two classes:
//   ResultChecker    one per result type, built once when the plugin is
//                    loaded; knows which fields can hold spans.
//   DocumentOffsets  one per request, over Document.text; maps byte offsets
//                    to code-point offsets, shared by the checks of all the
//                    request's plugins.
//
// ResultSchema owns the checker of its plugin's result type; the analyzer
// makes one DocumentOffsets per request and checks every result right after
// parsing it (Analyzer::StoreResult).
#ifndef NLPD_SERVER_PLUGINS_RESULT_CHECKER_H_
#define NLPD_SERVER_PLUGINS_RESULT_CHECKER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace nlpd {

// Byte and code-point positions of one document's text. Answers in O(1)
// per offset plus a scan of at most 64 bytes, from a sparse index (the
// number of code points before each 64-byte block) that is built on the
// first CharOffset call, in one pass over the text: k lookups cost
// O(n/64 + 64k) overall, never O(n*k). For an all-ASCII text lookups skip
// the scan (code-point and byte offsets are equal).
//
// Borrows `text` (for the analyzer: response->document().text(), which
// stays in place for the whole request), which must outlive this object
// and stay unchanged; it must be well-formed UTF-8 shorter than 4 GiB
// (Document.text always is: the pipeline validated and normalized it).
// Ill-formed text gives unspecified, but memory-safe, answers.
//
// Thread-safe: all methods are const and the index is built under
// absl::call_once, so plugins checked in parallel may share one object.
class DocumentOffsets {
 public:
  explicit DocumentOffsets(absl::string_view text);

  DocumentOffsets(const DocumentOffsets&) = delete;
  DocumentOffsets& operator=(const DocumentOffsets&) = delete;

  absl::string_view text() const { return text_; }
  // The text's length in bytes.
  uint32_t size() const { return static_cast<uint32_t>(text_.size()); }

  // Whether byte offset `byte` (<= size()) is the start of a character or
  // the end of the text, i.e. not inside a multi-byte UTF-8 sequence.
  bool IsCharBoundary(uint32_t byte) const {
    return byte >= text_.size() ||
           (static_cast<uint8_t>(text_[byte]) & 0xC0) != 0x80;
  }

  // The number of code points in text[0, byte). `byte` must be <= size()
  // and should be a character boundary (inside a character, the character
  // counts as before `byte`).
  uint32_t CharOffset(uint32_t byte) const;

 private:
  static constexpr uint32_t kBlockBytes = 64;

  void BuildIndex() const;

  const absl::string_view text_;
  mutable absl::once_flag index_once_;
  // Set once by BuildIndex: whether the text is all ASCII (code-point
  // offsets equal byte offsets), and the code points before each block:
  // block_chars_[b] counts text[0, b * kBlockBytes); size() / 64 + 1
  // entries.
  mutable bool ascii_ = false;
  mutable std::vector<uint32_t> block_chars_;
};

// Checks the nlpd.v1.Span messages inside results of one message type.
//
// Built once per result type from its descriptor: a generated type
// (nlpd.v1.EntitiesResult) or a type of a plugin's own DescriptorPool whose
// results are dynamic messages. The constructor finds every message type
// reachable from the result type (recursive types included; each is
// visited once) and keeps, per type, only the fields (singular, repeated,
// or map values) whose type can contain a Span, directly or transitively;
// Check walks only those, so a result type without spans costs nothing and
// large span-free subtrees are never visited. A type counts as a Span when
// its full name is nlpd.v1.Span (from the generated pool, or a copy of
// document.proto built into another pool) and it has the four uint32
// offset fields.
//
// Not looked into: google.protobuf.Any fields (their type is known only at
// run time), extensions and unknown fields.
//
// Immutable after construction; Check is thread-safe (concurrent calls,
// on the same or different results, are fine). Borrows the
// descriptors: the DescriptorPool of `type` must outlive the checker.
// Movable; a moved-from checker may only be destroyed or assigned to.
class ResultChecker {
 public:
  // `type` must not be null.
  explicit ResultChecker(const google::protobuf::Descriptor* type);
  ~ResultChecker();

  ResultChecker(ResultChecker&&) noexcept;
  ResultChecker& operator=(ResultChecker&&) noexcept;

  // The result type this checker was built for.
  const google::protobuf::Descriptor* type() const { return type_; }
  // Whether results of this type can contain a span at all; when false,
  // Check returns OK after checking the result's type.
  bool has_spans() const { return root_ != nullptr; }

  // Checks every span set in `result` (a message of type(), generated or
  // dynamic) against `offsets`' text:
  //   byte_start <= byte_end <= text size, and char_start <= char_end;
  //   byte_start and byte_end are on UTF-8 character boundaries;
  //   char_start / char_end are the code points before byte_start /
  //   byte_end.
  // Unset singular Span fields are not checked (no span); a set one, even
  // all zero, is. Stops at the first bad span and returns INTERNAL whose
  // message names the field path from the result and the span, e.g.
  //   entities[3].span: byte_end 1000 is past the end of the 35-byte text
  //   (span: bytes [30, 1000), chars [28, 990))
  // Map values are named by key: by_label["PER"].span, by_id[7].span.
  // INTERNAL too when `result` is not of type(). The caller prefixes the
  // plugin's name.
  //
  // Map fields that can hold spans are read through protobuf's reflection,
  // which builds a repeated-field view of the map on first access.
  absl::Status Check(const google::protobuf::Message& result,
                     const DocumentOffsets& offsets) const;

 private:
  struct Node;

  static std::unique_ptr<Node> NewNode(
      const google::protobuf::Descriptor* type);

  const google::protobuf::Descriptor* type_;
  // One node per reachable type that can hold a span, and one per map entry
  // type on the way; edges point between them, so the nodes stay at fixed
  // addresses.
  std::vector<std::unique_ptr<Node>> nodes_;
  // The result type's node; null when it cannot hold a span.
  const Node* root_ = nullptr;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_RESULT_CHECKER_H_
