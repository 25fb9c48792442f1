#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace nlpd::text {
namespace {

TEST(ValidateUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(ValidateUtf8("").ok());
  EXPECT_TRUE(ValidateUtf8("plain ASCII that is longer than eight bytes").ok());
  EXPECT_TRUE(ValidateUtf8("Grüße, Straße – 東京 😀 \U0010FFFF").ok());
  EXPECT_TRUE(ValidateUtf8(std::string("nul\0inside", 10)).ok());
  EXPECT_TRUE(ValidateUtf8("\xEF\xBF\xBF").ok());  // Noncharacter U+FFFF.
}

TEST(ValidateUtf8Test, ReportsFirstBadSequenceAfterAsciiFastPath) {
  const std::string text = "0123456789abcdef\xC3(";
  const absl::Status status = ValidateUtf8(text);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "invalid UTF-8 at byte offset 16: truncated sequence");
}

TEST(ValidateUtf8Test, NamesTheProblem) {
  EXPECT_EQ(ValidateUtf8("\xC1\xBF").message(),
            "invalid UTF-8 at byte offset 0: overlong encoding");
  EXPECT_EQ(ValidateUtf8("a\xF0\x80\x80\x80").message(),
            "invalid UTF-8 at byte offset 1: overlong encoding");
  EXPECT_EQ(ValidateUtf8("ab\xED\xBF\xBF").message(),
            "invalid UTF-8 at byte offset 2: encoded surrogate");
  EXPECT_EQ(ValidateUtf8("\xF4\x90\x80\x80").message(),
            "invalid UTF-8 at byte offset 0: code point above U+10FFFF");
  EXPECT_EQ(ValidateUtf8("\xF0\x9F\x98").message(),
            "invalid UTF-8 at byte offset 0: truncated sequence");
  EXPECT_EQ(ValidateUtf8("x\xBF").message(),
            "invalid UTF-8 at byte offset 1: unexpected continuation byte");
  EXPECT_EQ(ValidateUtf8("xy\xF8").message(),
            "invalid UTF-8 at byte offset 2: byte 0xF5..0xFF never appears "
            "in UTF-8");
}

}  // namespace
}  // namespace nlpd::text
