// libFuzzer target: nlpd::text::TextPipeline::Process on arbitrary bytes
// with an arbitrary language hint. It must never crash (ASan/UBSan on the
// project code); when it returns OK, the Document must satisfy the
// invariants text_pipeline.h promises, checked here independently of the
// library:
//  - text is well-formed UTF-8 and NFC;
//  - every token and sentence span lies within the text, on code-point
//    boundaries, with byte and code-point offsets naming the same text;
//  - tokens are non-empty, in order, non-overlapping, never all white space;
//  - sentences are in order and non-overlapping, token_begin < token_end,
//    together they cover all tokens exactly once, and each sentence spans
//    its first to last token;
//  - language is set (the hint when one was given, up to ASCII case and
//    '_' for '-').
// Otherwise the status must be INVALID_ARGUMENT.
//
// Input layout: byte 0 selects the hint: if its top bit is set, one of a
// fixed list of real tags ("de", "en-US", ...); else the next (b0 & 15)
// bytes are the hint, as arbitrary bytes. The rest is the text.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/text_pipeline.h"
#include "utf8_oracle.h"

namespace {

const nlpd::text::TextPipeline* g_pipeline = nullptr;

// True when `a` and `b` differ at most in ASCII case and '-' for '_'.
bool SameTagIgnoringForm(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const auto fold = [](char c) -> char {
    if (c == '_') return '-';
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  for (size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

[[noreturn]] void Fail(const char* what, size_t index = 0) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %s (index %zu)\n", what, index);
  std::abort();
}
#define CHECK_INV(cond, what, index) \
  do {                               \
    if (!(cond)) Fail(what, index);  \
  } while (0)

// Checks one span against the decoded text; returns [char_start, char_end).
void CheckSpan(const nlpd::v1::Span& span, const std::vector<uint32_t>& byte_of,
               size_t index, const char* kind) {
  const size_t chars = byte_of.size() - 1;
  const size_t bytes = byte_of.back();
  CHECK_INV(span.byte_start() < span.byte_end(), kind, index);
  CHECK_INV(span.byte_end() <= bytes, kind, index);
  CHECK_INV(span.char_start() < span.char_end(), kind, index);
  CHECK_INV(span.char_end() <= chars, kind, index);
  // Byte slice and code-point slice are the same text: the code-point
  // offsets map exactly onto the byte offsets (so both slices decode to the
  // same code points).
  CHECK_INV(byte_of[span.char_start()] == span.byte_start(),
            "span: char_start does not map to byte_start", index);
  CHECK_INV(byte_of[span.char_end()] == span.byte_end(),
            "span: char_end does not map to byte_end", index);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto pipeline = nlpd::text::TextPipeline::Create();
  if (!pipeline.ok()) {
    std::fprintf(stderr, "TextPipeline::Create: %s\n",
                 pipeline.status().ToString().c_str());
    std::abort();
  }
  g_pipeline = pipeline->release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kHints[] = {"de", "en", "de-AT", "en-US",
                                       "DE", "fr", "und",   "x"};
  if (size == 0) return 0;
  std::string hint;
  size_t pos = 1;
  if (data[0] & 0x80) {
    hint = kHints[data[0] & 7];
  } else {
    const size_t n = std::min<size_t>(data[0] & 15, size - 1);
    hint.assign(reinterpret_cast<const char*>(data + 1), n);
    pos += n;
  }
  const std::string text(reinterpret_cast<const char*>(data + pos), size - pos);

  absl::StatusOr<nlpd::v1::Document> result = g_pipeline->Process(text, hint);
  if (!result.ok()) {
    CHECK_INV(absl::IsInvalidArgument(result.status()),
              "error status is not INVALID_ARGUMENT", 0);
    return 0;
  }
  const nlpd::v1::Document& doc = *result;

  std::vector<char32_t> cps;
  std::vector<uint32_t> byte_of;
  CHECK_INV(nlpd::fuzz::DecodeUtf8(doc.text(), &cps, &byte_of),
            "text is not UTF-8", 0);
  {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
    CHECK_INV(U_SUCCESS(err), "ICU NFC", 0);
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(doc.text());
    CHECK_INV(nfc->isNormalized(u, err) && U_SUCCESS(err), "text is not NFC",
              0);
  }
  CHECK_INV(!doc.language().empty(), "language is empty", 0);
  if (!hint.empty()) {
    CHECK_INV(SameTagIgnoringForm(doc.language(), hint), "language != hint", 0);
  }

  const int ntok = doc.tokens_size();
  for (int i = 0; i < ntok; ++i) {
    const nlpd::v1::Span& span = doc.tokens(i).span();
    CheckSpan(span, byte_of, i, "token span out of range or empty");
    if (i > 0) {
      CHECK_INV(doc.tokens(i - 1).span().byte_end() <= span.byte_start(),
                "tokens overlap or are out of order", i);
    }
    bool all_space = true;
    for (uint32_t c = span.char_start(); c < span.char_end(); ++c) {
      all_space &= u_isUWhiteSpace(static_cast<UChar32>(cps[c])) != 0;
    }
    CHECK_INV(!all_space, "token is white space", i);
  }

  int expected_begin = 0;
  for (int s = 0; s < doc.sentences_size(); ++s) {
    const nlpd::v1::Sentence& sentence = doc.sentences(s);
    CheckSpan(sentence.span(), byte_of, s,
              "sentence span out of range or empty");
    CHECK_INV(static_cast<int>(sentence.token_begin()) == expected_begin,
              "sentences do not cover the tokens contiguously", s);
    CHECK_INV(sentence.token_begin() < sentence.token_end(),
              "sentence without tokens", s);
    CHECK_INV(static_cast<int>(sentence.token_end()) <= ntok,
              "sentence token_end past the tokens", s);
    const nlpd::v1::Span& first = doc.tokens(sentence.token_begin()).span();
    const nlpd::v1::Span& last = doc.tokens(sentence.token_end() - 1).span();
    CHECK_INV(sentence.span().byte_start() == first.byte_start() &&
                  sentence.span().char_start() == first.char_start(),
              "sentence does not start at its first token", s);
    CHECK_INV(sentence.span().byte_end() == last.byte_end() &&
                  sentence.span().char_end() == last.char_end(),
              "sentence does not end at its last token", s);
    expected_begin = static_cast<int>(sentence.token_end());
  }
  CHECK_INV(expected_begin == ntok, "tokens outside every sentence", 0);
  // Not checked: that an OK document has a token. Text of only characters
  // that are neither white space nor part of a token (e.g. "\0") is
  // accepted and yields zero tokens and zero sentences; see README.md.
  return 0;
}
