// nlpd/span.h: byte to code-point offsets and spans, on texts whose
// characters take one to four bytes, cross-checked against the server's
// DocumentOffsets (what checks plugin results) on random texts.
#include "nlpd/span.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "plugins/result_checker.h"

namespace nlpd::sdk {
namespace {

// Code points decoded one by one, the slow way.
uint32_t Decoded(std::string_view text) {
  uint32_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<uint8_t>(text[i]);
    i += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  }
  return count;
}

void ExpectSpan(const v1::Span& span, uint32_t byte_start, uint32_t byte_end,
                uint32_t char_start, uint32_t char_end) {
  EXPECT_EQ(span.byte_start(), byte_start);
  EXPECT_EQ(span.byte_end(), byte_end);
  EXPECT_EQ(span.char_start(), char_start);
  EXPECT_EQ(span.char_end(), char_end);
}

// A random text of `length` characters of 1 to 4 bytes: ASCII, German
// umlauts and ß, CJK, emoji.
std::string RandomText(std::mt19937& random, int length) {
  constexpr std::string_view kPieces[] = {"a",  "Z",  " ",  ".", "ä",
                                          "ö",  "ü",  "ß",  "Ü", "€",
                                          "中", "文", "한", "🎉", "😀"};
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  std::string text;
  for (int i = 0; i < length; ++i) text.append(kPieces[pick(random)]);
  return text;
}

TEST(CodePointCountTest, CountsCharactersOfEveryWidth) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("Grüße"), 5u);
  EXPECT_EQ(CodePointCount("中文"), 2u);
  EXPECT_EQ(CodePointCount("🎉"), 1u);
  // Long enough for the eight-byte steps and several lane sums (31 steps).
  std::string long_text;
  for (int i = 0; i < 500; ++i) long_text += "Köln 🎉 中 ";
  EXPECT_EQ(CodePointCount(long_text), 500u * 9);
  EXPECT_EQ(CodePointCount(long_text), Decoded(long_text));
}

TEST(IsCharBoundaryTest, InsideSequencesOnly) {
  const std::string_view text = "aü🎉";  // 1 + 2 + 4 bytes
  EXPECT_TRUE(IsCharBoundary(text, 0));
  EXPECT_TRUE(IsCharBoundary(text, 1));
  EXPECT_FALSE(IsCharBoundary(text, 2));
  EXPECT_TRUE(IsCharBoundary(text, 3));
  EXPECT_FALSE(IsCharBoundary(text, 4));
  EXPECT_FALSE(IsCharBoundary(text, 6));
  EXPECT_TRUE(IsCharBoundary(text, 7));
  EXPECT_TRUE(IsCharBoundary(text, 100));
}

TEST(SpanMakerTest, GermanUmlauts) {
  const std::string text = "Grüße aus Köln";
  const SpanMaker spans(text);
  // "Köln": bytes [12, 17), characters [10, 14).
  ASSERT_EQ(text.find("Köln"), 12u);
  ExpectSpan(spans.MakeSpan(12, 17), 12, 17, 10, 14);
  EXPECT_EQ(spans.CharOffset(text.size()), 14u);
  // "Grüße": the first word.
  ExpectSpan(spans.MakeSpan(0, 7), 0, 7, 0, 5);
}

TEST(SpanMakerTest, EmojiAndCjk) {
  const std::string text = "Hi 🎉 中文 ok";
  const SpanMaker spans(text);
  const size_t emoji = text.find("🎉");
  const size_t cjk = text.find("中文");
  ExpectSpan(spans.MakeSpan(emoji, emoji + 4), 3, 7, 3, 4);
  ExpectSpan(spans.MakeSpan(cjk, cjk + 6), 8, 14, 5, 7);
  ExpectSpan(spans.MakeSpan(text.size() - 2, text.size()), 15, 17, 8, 10);
}

TEST(SpanMakerTest, MatchesSpanTextOfTheDocument) {
  v1::Document document;
  document.set_text("Die Straße über München ist schön. 😀");
  const SpanMaker spans(document);
  const size_t begin = document.text().find("München");
  const v1::Span span = spans.MakeSpan(begin, begin + strlen("München"));
  EXPECT_EQ(SpanText(document, span), "München");
  // As Python would slice it: 16 code points before "München".
  EXPECT_EQ(span.char_start(), 16u);
  EXPECT_EQ(span.char_end(), 23u);
}

TEST(SpanMakerTest, InsideACharacterWidensToTheWholeCharacter) {
  const std::string text = "aü🎉b";  // bytes: a 0, ü 1-2, 🎉 3-6, b 7
  const SpanMaker spans(text);
  // Start inside ü moves back to it; end inside 🎉 moves past it.
  ExpectSpan(spans.MakeSpan(2, 5), 1, 7, 1, 3);
  // An empty span inside a character covers that character.
  ExpectSpan(spans.MakeSpan(4, 4), 3, 7, 2, 3);
  // CharOffset inside a character counts that character.
  EXPECT_EQ(spans.CharOffset(2), 2u);
  EXPECT_EQ(spans.CharOffset(4), 3u);
  EXPECT_FALSE(spans.IsCharBoundary(2));
  EXPECT_TRUE(spans.IsCharBoundary(3));
}

TEST(SpanMakerTest, PastTheEndAndReversedOffsetsAreClamped) {
  const std::string text = "Grüße";  // bytes: G r ü(2-3) ß(4-5) e
  const SpanMaker spans(text);
  ExpectSpan(spans.MakeSpan(3, 1000), 2, 7, 2, 5);
  ExpectSpan(spans.MakeSpan(1000, 2000), 7, 7, 5, 5);
  // Reversed: the empty span at the (character-aligned) start.
  ExpectSpan(spans.MakeSpan(6, 1), 6, 6, 4, 4);
  ExpectSpan(spans.MakeSpan(5, 1), 4, 4, 3, 3);
  EXPECT_EQ(spans.CharOffset(1000), 5u);
}

TEST(SpanMakerTest, EmptyAndAsciiTexts) {
  const SpanMaker empty("");
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.CharOffset(0), 0u);
  ExpectSpan(empty.MakeSpan(0, 5), 0, 0, 0, 0);

  const std::string ascii(300, 'x');
  const SpanMaker spans(ascii);
  EXPECT_EQ(spans.CharOffset(130), 130u);
  ExpectSpan(spans.MakeSpan(64, 200), 64, 200, 64, 200);
}

TEST(MakeSpanTest, OneOffAgreesWithSpanMaker) {
  std::mt19937 random(7);
  const std::string text = RandomText(random, 300);
  const SpanMaker spans(text);
  std::uniform_int_distribution<uint32_t> offset(0, text.size() + 10);
  for (int i = 0; i < 2000; ++i) {
    const uint32_t a = offset(random), b = offset(random);
    const v1::Span expected = spans.MakeSpan(a, b);
    const v1::Span span = MakeSpan(text, a, b);
    EXPECT_EQ(span.SerializeAsString(), expected.SerializeAsString())
        << a << " " << b;
  }
}

// The SDK's offsets are the server's, byte for byte, on texts long enough
// for many index blocks and for characters straddling block edges; and every
// span is one the server's check would accept.
TEST(SpanMakerTest, AgreesWithTheServersDocumentOffsetsOnRandomTexts) {
  std::mt19937 random(12);
  for (int round = 0; round < 50; ++round) {
    const std::string text =
        RandomText(random, std::uniform_int_distribution<int>(0, 400)(random));
    const SpanMaker spans(text);
    const DocumentOffsets server(absl::string_view(text.data(), text.size()));
    ASSERT_EQ(spans.size(), server.size());
    for (uint32_t byte = 0; byte <= text.size() + 2; ++byte) {
      ASSERT_EQ(spans.CharOffset(byte), server.CharOffset(byte))
          << "byte " << byte << " of " << text;
      ASSERT_EQ(spans.IsCharBoundary(byte), server.IsCharBoundary(byte));
    }
    std::uniform_int_distribution<uint32_t> offset(0, text.size());
    for (int i = 0; i < 100; ++i) {
      const v1::Span span = spans.MakeSpan(offset(random), offset(random));
      ASSERT_LE(span.byte_start(), span.byte_end());
      ASSERT_LE(span.byte_end(), text.size());
      ASSERT_TRUE(server.IsCharBoundary(span.byte_start()));
      ASSERT_TRUE(server.IsCharBoundary(span.byte_end()));
      ASSERT_EQ(span.char_start(), server.CharOffset(span.byte_start()));
      ASSERT_EQ(span.char_end(), server.CharOffset(span.byte_end()));
      ASSERT_EQ(span.char_end() - span.char_start(),
                Decoded(std::string_view(text).substr(
                    span.byte_start(), span.byte_end() - span.byte_start())));
    }
  }
}

}  // namespace
}  // namespace nlpd::sdk
