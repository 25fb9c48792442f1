#include "text/utf16_text.h"

#include <gtest/gtest.h>

namespace nlpd::text {
namespace {

TEST(Utf16TextTest, MapsEveryUtf16IndexToBytesAndCodePoints) {
  // "a" (1 byte), "ä" (2 bytes), "😀" (4 bytes, 2 UTF-16 units), "b".
  const Utf16Text text("aä😀b");
  ASSERT_EQ(text.size(), 5u);
  EXPECT_EQ(text.units(), u"aä😀b");
  const uint32_t bytes[] = {0, 1, 3, 3, 7, 8};
  const uint32_t chars[] = {0, 1, 2, 2, 3, 4};
  for (uint32_t i = 0; i <= text.size(); ++i) {
    EXPECT_EQ(text.ByteOffset(i), bytes[i]) << i;
    EXPECT_EQ(text.CharOffset(i), chars[i]) << i;
  }
  EXPECT_EQ(text.CodePointAt(2), U'😀');
  EXPECT_EQ(text.CodePointBefore(4), U'😀');
  EXPECT_EQ(text.CodePointBefore(2), U'ä');
}

TEST(Utf16TextTest, FillSpan) {
  const Utf16Text text("Größe 😀!");
  v1::Span span;
  text.FillSpan({6, 9}, &span);  // "😀!"
  EXPECT_EQ(span.byte_start(), 8u);
  EXPECT_EQ(span.byte_end(), 13u);
  EXPECT_EQ(span.char_start(), 6u);
  EXPECT_EQ(span.char_end(), 8u);
}

TEST(Utf16TextTest, EmptyText) {
  const Utf16Text text("");
  EXPECT_EQ(text.size(), 0u);
  EXPECT_EQ(text.ByteOffset(0), 0u);
  EXPECT_EQ(text.CharOffset(0), 0u);
}

}  // namespace
}  // namespace nlpd::text
