// Spans over a document's text: from UTF-8 byte offsets (what C++ string
// searches, regexes and tokenizers give) to nlpd.v1.Span, which also
// carries Unicode code-point offsets (what Python's str indexes by).
//
//   const nlpd::sdk::SpanMaker spans(request.document());  // once per call
//   *entity.mutable_span() = spans.MakeSpan(match_begin, match_end);
//
// One-off: nlpd::sdk::MakeSpan(text, byte_start, byte_end) (O(byte_end)).
//
// Every span these functions return passes the server's check of plugin
// results: inside the text, on character boundaries, with code-point
// offsets that agree with the byte offsets. Offsets are uint32, as in
// nlpd.v1.Span: the text must be shorter than 4 GiB (a Document always is).
// The text should be well-formed UTF-8 (Document.text always is); for
// ill-formed text the answers are unspecified but memory-safe.
#ifndef NLPD_SPAN_H_
#define NLPD_SPAN_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "nlpd/v1/document.pb.h"

namespace nlpd::sdk {

// The number of code points in the UTF-8 `text`: the bytes that do not
// continue a multi-byte sequence (10xxxxxx).
//
// Eight bytes per step: a continuation byte has bit 7 set and bit 6 clear;
// (word << 1) moves each byte's bit 6 to its bit 7 (bit 7 of one byte lands
// on bit 0 of the next, which the mask drops). The per-byte flags add up in
// their byte lanes, and the lanes are summed by one multiplication after at
// most 31 steps, so that no lane and no partial sum exceeds 8 * 31 < 256.
inline uint32_t CodePointCount(std::string_view text) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  constexpr uint64_t kLowBytes = 0x0101010101010101ULL;
  constexpr size_t kStepsPerSum = 31;
  const char* p = text.data();
  size_t n = text.size();
  size_t continuations = 0;
  while (n >= 8) {
    const size_t steps = std::min(n / 8, kStepsPerSum);
    uint64_t lanes = 0;
    for (size_t step = 0; step < steps; ++step, p += 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof(word));
      lanes += (word & ~(word << 1) & kHighBits) >> 7;
    }
    n -= steps * 8;
    continuations += (lanes * kLowBytes) >> 56;
  }
  for (; n > 0; ++p, --n) {
    continuations += (static_cast<uint8_t>(*p) & 0xC0) == 0x80 ? 1 : 0;
  }
  return static_cast<uint32_t>(text.size() - continuations);
}

// Whether byte offset `byte` of `text` starts a character or is the end of
// the text (or past it), i.e. is not inside a multi-byte UTF-8 sequence.
inline bool IsCharBoundary(std::string_view text, size_t byte) {
  return byte >= text.size() ||
         (static_cast<uint8_t>(text[byte]) & 0xC0) != 0x80;
}

// The text of `span` in `document`, as a view into the document.
inline std::string_view SpanText(const v1::Document& document,
                                 const v1::Span& span) {
  return std::string_view(document.text())
      .substr(span.byte_start(), span.byte_end() - span.byte_start());
}

namespace internal {

// `byte` clamped to the text and moved back to the first byte of the
// character it is in.
inline uint32_t FloorCharBoundary(std::string_view text, uint32_t byte) {
  byte = static_cast<uint32_t>(std::min<size_t>(byte, text.size()));
  while (!IsCharBoundary(text, byte)) --byte;
  return byte;
}

// `byte` clamped to the text and moved forward past the character it is in.
inline uint32_t CeilCharBoundary(std::string_view text, uint32_t byte) {
  byte = static_cast<uint32_t>(std::min<size_t>(byte, text.size()));
  while (!IsCharBoundary(text, byte)) ++byte;
  return byte;
}

}  // namespace internal

// Byte to code-point offsets of one text, for making many spans over it:
// build one per document (per Analyze call) and ask it for every span.
//
// The constructor makes one pass over the text (eight bytes per step) to
// build a sparse index, the code points before every 64-byte block (text
// size / 16 bytes of memory); CharOffset then costs O(1) plus a count of at
// most 63 bytes, or O(1) for an all-ASCII text. The same index as the
// server's check of plugin results, so k spans cost O(n + k), never O(n*k).
//
// Borrows the text, which must outlive the SpanMaker and stay unchanged
// (rvalue strings and documents are refused at compile time for that
// reason). Immutable after construction: const methods may be called from
// any number of threads.
class SpanMaker {
 public:
  explicit SpanMaker(std::string_view text)
      : text_(text), block_chars_(text.size() / kBlockBytes + 1) {
    uint32_t chars = 0;
    for (size_t block = 0; block < block_chars_.size(); ++block) {
      block_chars_[block] = chars;
      chars += CodePointCount(text_.substr(block * kBlockBytes, kBlockBytes));
    }
    ascii_ = chars == text_.size();
  }
  explicit SpanMaker(const char* text) : SpanMaker(std::string_view(text)) {}
  explicit SpanMaker(const v1::Document& document)
      : SpanMaker(std::string_view(document.text())) {}
  SpanMaker(std::string&&) = delete;
  SpanMaker(v1::Document&&) = delete;

  std::string_view text() const { return text_; }
  // The text's length in bytes.
  uint32_t size() const { return static_cast<uint32_t>(text_.size()); }

  // See the free IsCharBoundary.
  bool IsCharBoundary(uint32_t byte) const {
    return sdk::IsCharBoundary(text_, byte);
  }

  // The number of code points that start before byte offset `byte`: on a
  // character boundary, the code-point offset of `byte`. Never fails:
  //   - inside a character, that character counts as before `byte`
  //     (the answer is the offset of the next character);
  //   - past the end, the answer is the text's length in code points.
  // Agrees with the server's offsets for every `byte`.
  uint32_t CharOffset(uint32_t byte) const {
    byte = std::min(byte, size());
    if (ascii_) return byte;
    const uint32_t begin = byte - byte % kBlockBytes;
    return block_chars_[byte / kBlockBytes] +
           CodePointCount(text_.substr(begin, byte - begin));
  }

  // The span of bytes [byte_start, byte_end) of the text, all four offsets
  // filled. Never fails; it widens or clamps instead, so that the span is
  // always one the server accepts:
  //   - offsets past the end are clamped to the end;
  //   - byte_end < byte_start gives the empty span at byte_start;
  //   - byte_start inside a character moves back to that character's first
  //     byte, byte_end inside a character forward past its last byte (the
  //     span widens to whole characters).
  // A plugin that wants to treat such offsets as its own bug checks
  // IsCharBoundary first.
  v1::Span MakeSpan(uint32_t byte_start, uint32_t byte_end) const {
    byte_start = internal::FloorCharBoundary(text_, byte_start);
    byte_end =
        internal::CeilCharBoundary(text_, std::max(byte_start, byte_end));
    v1::Span span;
    span.set_byte_start(byte_start);
    span.set_byte_end(byte_end);
    span.set_char_start(CharOffset(byte_start));
    span.set_char_end(CharOffset(byte_end));
    return span;
  }

 private:
  static constexpr uint32_t kBlockBytes = 64;

  std::string_view text_;
  // Whether the text is all ASCII: code-point offsets equal byte offsets.
  bool ascii_ = false;
  // block_chars_[b]: the code points in text_[0, b * kBlockBytes).
  std::vector<uint32_t> block_chars_;
};

// SpanMaker(text).MakeSpan(byte_start, byte_end), with the same contract,
// without building an index: counts the code points of text[0, byte_end)
// once, so for a single span. Use a SpanMaker for many spans of one text.
inline v1::Span MakeSpan(std::string_view text, uint32_t byte_start,
                         uint32_t byte_end) {
  byte_start = internal::FloorCharBoundary(text, byte_start);
  byte_end = internal::CeilCharBoundary(text, std::max(byte_start, byte_end));
  const uint32_t char_start = CodePointCount(text.substr(0, byte_start));
  v1::Span span;
  span.set_byte_start(byte_start);
  span.set_byte_end(byte_end);
  span.set_char_start(char_start);
  span.set_char_end(char_start + CodePointCount(text.substr(
                                     byte_start, byte_end - byte_start)));
  return span;
}

}  // namespace nlpd::sdk

#endif  // NLPD_SPAN_H_
