#ifndef NLPD_TESTS_CPP_TEXT_DOCUMENT_CHECKS_H_
#define NLPD_TESTS_CPP_TEXT_DOCUMENT_CHECKS_H_

// Helpers for the nlpd_text tests: read a Document back as strings and
// check the invariants every Document must satisfy.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "nlpd/v1/document.pb.h"

namespace nlpd::text::testing {

// Decodes well-formed UTF-8 to code points (independent of the library).
inline std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : b & (0xFF >> (n + 1));
    for (int k = 1; k < n; ++k) c = (c << 6) | (s[i + k] & 0x3F);
    out.push_back(c);
    i += n;
  }
  return out;
}

inline std::string EncodeUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// The span's text taken by byte offsets (the C++ way).
inline std::string ByteSlice(const v1::Document& doc, const v1::Span& span) {
  return doc.text().substr(span.byte_start(),
                           span.byte_end() - span.byte_start());
}

// The span's text taken by code-point offsets (the Python way).
inline std::string CharSlice(const v1::Document& doc, const v1::Span& span) {
  const std::u32string chars = DecodeUtf8(doc.text());
  return EncodeUtf8(std::u32string_view(chars).substr(
      span.char_start(), span.char_end() - span.char_start()));
}

inline std::vector<std::string> SentenceTexts(const v1::Document& doc) {
  std::vector<std::string> out;
  for (const v1::Sentence& s : doc.sentences()) {
    out.push_back(ByteSlice(doc, s.span()));
  }
  return out;
}

inline std::vector<std::string> TokenTexts(const v1::Document& doc) {
  std::vector<std::string> out;
  for (const v1::Token& t : doc.tokens())
    out.push_back(ByteSlice(doc, t.span()));
  return out;
}

// Kind of the first token whose text is `text`; UNSPECIFIED if none.
inline v1::TokenKind KindOf(const v1::Document& doc, std::string_view text) {
  for (const v1::Token& t : doc.tokens()) {
    if (ByteSlice(doc, t.span()) == text) return t.kind();
  }
  return v1::TOKEN_KIND_UNSPECIFIED;
}

// Every Document invariant from document.proto and text_pipeline.h.
inline void ExpectWellFormed(const v1::Document& doc) {
  const std::u32string chars = DecodeUtf8(doc.text());
  auto check_span = [&](const v1::Span& span, std::string_view what) {
    ASSERT_LT(span.byte_start(), span.byte_end()) << what;
    ASSERT_LE(span.byte_end(), doc.text().size()) << what;
    ASSERT_LE(span.char_end(), chars.size()) << what;
    EXPECT_EQ(ByteSlice(doc, span), CharSlice(doc, span)) << what;
  };
  uint32_t previous_end = 0;
  for (const v1::Token& token : doc.tokens()) {
    check_span(token.span(), "token");
    EXPECT_GE(token.span().byte_start(), previous_end) << "tokens overlap";
    EXPECT_NE(token.kind(), v1::TOKEN_KIND_UNSPECIFIED);
    const std::string text = ByteSlice(doc, token.span());
    EXPECT_EQ(text.find_first_of(" \t\n\r"), std::string::npos)
        << "token '" << text << "' contains white space";
    previous_end = token.span().byte_end();
  }
  uint32_t next_token = 0;
  for (const v1::Sentence& sentence : doc.sentences()) {
    check_span(sentence.span(), "sentence");
    EXPECT_EQ(sentence.token_begin(), next_token) << "sentences skip tokens";
    ASSERT_LT(sentence.token_begin(), sentence.token_end());
    ASSERT_LE(sentence.token_end(), static_cast<uint32_t>(doc.tokens_size()));
    EXPECT_EQ(sentence.span().byte_start(),
              doc.tokens(sentence.token_begin()).span().byte_start());
    EXPECT_EQ(sentence.span().byte_end(),
              doc.tokens(sentence.token_end() - 1).span().byte_end());
    next_token = sentence.token_end();
  }
  EXPECT_EQ(next_token, static_cast<uint32_t>(doc.tokens_size()))
      << "tokens after the last sentence";
  EXPECT_GE(doc.language_confidence(), 0.0f);
  EXPECT_LE(doc.language_confidence(), 1.0f);
  EXPECT_FALSE(doc.language().empty());
}

}  // namespace nlpd::text::testing

#endif  // NLPD_TESTS_CPP_TEXT_DOCUMENT_CHECKS_H_
