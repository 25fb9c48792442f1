// ResultChecker and DocumentOffsets: spans of built-in results (generated
// messages) and of plugin types built at run time (dynamic messages) checked
// against a text whose byte and code-point offsets differ.
#include "plugins/result_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd {
namespace {

// An absl::Status whose message starts with / contains `text`.
MATCHER_P(MessageStartsWith, text, "") {
  return absl::StartsWith(arg.message(), text);
}
MATCHER_P(MessageHasSubstr, text, "") {
  return absl::StrContains(arg.message(), text);
}

// 2-byte umlauts and ß, a 4-byte emoji: byte and code-point offsets drift
// apart along the text.
constexpr absl::string_view kText =
    "Grüße aus Köln 🎉: Die Straße über München ist schön.";

uint32_t CodePoints(absl::string_view text) {
  uint32_t count = 0;
  for (char c : text) count += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return count;
}

// The span of the first `needle` in `text`, in bytes and code points.
v1::Span SpanOf(absl::string_view text, absl::string_view needle) {
  const size_t at = text.find(needle);
  EXPECT_NE(at, absl::string_view::npos) << needle;
  v1::Span span;
  span.set_byte_start(static_cast<uint32_t>(at));
  span.set_byte_end(static_cast<uint32_t>(at + needle.size()));
  span.set_char_start(CodePoints(text.substr(0, at)));
  span.set_char_end(span.char_start() + CodePoints(needle));
  return span;
}

v1::Span MakeSpan(uint32_t byte_start, uint32_t byte_end, uint32_t char_start,
                  uint32_t char_end) {
  v1::Span span;
  span.set_byte_start(byte_start);
  span.set_byte_end(byte_end);
  span.set_char_start(char_start);
  span.set_char_end(char_end);
  return span;
}

v1::EntitiesResult Entities() {
  v1::EntitiesResult result;
  for (absl::string_view name : {"Köln", "🎉", "Straße", "München"}) {
    v1::Entity* entity = result.add_entities();
    *entity->mutable_span() = SpanOf(kText, name);
    entity->set_label("LOC");
    entity->set_text(std::string(name));
  }
  return result;
}

absl::Status CheckEntities(const v1::EntitiesResult& result) {
  const ResultChecker checker(v1::EntitiesResult::descriptor());
  const DocumentOffsets offsets(kText);
  return checker.Check(result, offsets);
}

// ---------------------------------------------------------------------------
// DocumentOffsets

TEST(DocumentOffsetsTest, CharOffsetMatchesACountAtEveryBoundary) {
  // Long enough for many 64-byte blocks, with characters of 1 to 4 bytes
  // straddling block edges.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "aß€🎉 Grüße, ";
  const DocumentOffsets offsets(text);
  ASSERT_EQ(offsets.size(), text.size());
  for (uint32_t byte = 0; byte <= text.size(); ++byte) {
    const bool boundary = byte == text.size() ||
                          (static_cast<uint8_t>(text[byte]) & 0xC0) != 0x80;
    EXPECT_EQ(offsets.IsCharBoundary(byte), boundary) << byte;
    if (boundary) {
      EXPECT_EQ(offsets.CharOffset(byte),
                CodePoints(absl::string_view(text).substr(0, byte)))
          << byte;
    }
  }
}

TEST(DocumentOffsetsTest, AsciiAndEmptyTexts) {
  const std::string ascii(200, 'x');
  const DocumentOffsets offsets(ascii);
  EXPECT_EQ(offsets.CharOffset(0), 0u);
  EXPECT_EQ(offsets.CharOffset(130), 130u);
  EXPECT_EQ(offsets.CharOffset(200), 200u);

  const DocumentOffsets empty("");
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.IsCharBoundary(0));
  EXPECT_EQ(empty.CharOffset(0), 0u);
}

TEST(DocumentOffsetsTest, SharedByThreads) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "Köln 🎉 ";
  const DocumentOffsets offsets(text);
  const uint32_t expected = CodePoints(text);
  std::vector<std::thread> threads;
  std::vector<uint32_t> seen(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back(
        [&, t] { seen[t] = offsets.CharOffset(offsets.size()); });
  }
  for (std::thread& thread : threads) thread.join();
  for (uint32_t s : seen) EXPECT_EQ(s, expected);
}

// ---------------------------------------------------------------------------
// Built-in result types (generated messages)

TEST(ResultCheckerTest, ValidEntitiesPass) {
  const v1::EntitiesResult result = Entities();
  // The offsets really differ in this text.
  ASSERT_NE(result.entities(3).span().byte_start(),
            result.entities(3).span().char_start());
  EXPECT_TRUE(CheckEntities(result).ok()) << CheckEntities(result);
}

TEST(ResultCheckerTest, EmptySpansAndTheWholeTextPass) {
  v1::EntitiesResult result;
  *result.add_entities()->mutable_span() = MakeSpan(0, 0, 0, 0);
  *result.add_entities()->mutable_span() = SpanOf(kText, kText);
  const v1::Span end = MakeSpan(kText.size(), kText.size(), CodePoints(kText),
                                CodePoints(kText));
  *result.add_entities()->mutable_span() = end;
  result.add_entities();  // No span at all.
  EXPECT_TRUE(CheckEntities(result).ok()) << CheckEntities(result);
}

TEST(ResultCheckerTest, ValidSentimentPasses) {
  v1::SentimentResult result;
  result.mutable_document()->set_label(v1::Polarity::POSITIVE);
  result.add_sentences()->set_score(0.5f);
  for (absl::string_view name : {"Köln", "München"}) {
    v1::TargetSentiment* target = result.add_targets();
    *target->mutable_span() = SpanOf(kText, name);
    target->set_text(std::string(name));
    target->mutable_polarity()->set_label(v1::Polarity::NEUTRAL);
  }
  result.add_summaries()->set_name("Köln");
  const ResultChecker checker(v1::SentimentResult::descriptor());
  EXPECT_TRUE(checker.has_spans());
  const DocumentOffsets offsets(kText);
  EXPECT_TRUE(checker.Check(result, offsets).ok())
      << checker.Check(result, offsets);
}

v1::StanceResult Stance() {
  v1::StanceResult result;
  v1::StanceStatement* statement = result.add_statements();
  *statement->mutable_span() =
      SpanOf(kText, "Die Straße über München ist schön.");
  *statement->mutable_actor_span() = SpanOf(kText, "Die Straße");
  *statement->add_cues() = SpanOf(kText, "über");
  *statement->add_cues() = SpanOf(kText, "schön");
  v1::StanceStatement* second = result.add_statements();
  *second->mutable_span() = SpanOf(kText, "Grüße aus Köln 🎉:");
  *second->add_cues() = SpanOf(kText, "Grüße");
  *second->add_cues() = SpanOf(kText, "🎉");
  *second->add_cues() = SpanOf(kText, "Köln");
  v1::EscalationEvent* event = result.add_events();
  *event->mutable_span() = SpanOf(kText, "Köln");
  *event->mutable_reported_by_span() = SpanOf(kText, "München");
  result.add_actors()->set_actor("Straße");
  return result;
}

TEST(ResultCheckerTest, ValidStancePasses) {
  const ResultChecker checker(v1::StanceResult::descriptor());
  const DocumentOffsets offsets(kText);
  const v1::StanceResult result = Stance();
  EXPECT_TRUE(checker.Check(result, offsets).ok())
      << checker.Check(result, offsets);
}

TEST(ResultCheckerTest, PastTheEnd) {
  v1::EntitiesResult result = Entities();
  result.mutable_entities(1)->mutable_span()->set_byte_end(1000);
  const absl::Status status = CheckEntities(result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status, MessageStartsWith(absl::StrCat(
                          "entities[1].span: byte_end 1000 is past "
                          "the end of the ",
                          kText.size(), "-byte text (span: bytes [",
                          result.entities(1).span().byte_start(), ", 1000)")));
}

TEST(ResultCheckerTest, InsideAMultiByteCharacter) {
  // "Köln": ö is 2 bytes; byte_start one past the K lands inside it.
  v1::EntitiesResult result = Entities();
  const v1::Span koeln = SpanOf(kText, "Köln");
  *result.mutable_entities(0)->mutable_span() =
      MakeSpan(koeln.byte_start() + 2, koeln.byte_end(), koeln.char_start() + 2,
               koeln.char_end());
  absl::Status status = CheckEntities(result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status,
              MessageStartsWith(absl::StrCat(
                  "entities[0].span: byte_start ", koeln.byte_start() + 2,
                  " is inside the 2-byte character at "
                  "byte ",
                  koeln.byte_start() + 1)));

  // The emoji is 4 bytes; byte_end after its first byte.
  result = Entities();
  const v1::Span party = SpanOf(kText, "🎉");
  result.mutable_entities(1)->mutable_span()->set_byte_end(party.byte_start() +
                                                           1);
  status = CheckEntities(result);
  EXPECT_THAT(status, MessageStartsWith(absl::StrCat(
                          "entities[1].span: byte_end ", party.byte_start() + 1,
                          " is inside the 4-byte character at byte ",
                          party.byte_start())));
}

TEST(ResultCheckerTest, StartAfterEnd) {
  v1::EntitiesResult result = Entities();
  *result.mutable_entities(2)->mutable_span() = MakeSpan(10, 4, 4, 10);
  EXPECT_THAT(
      CheckEntities(result),
      MessageStartsWith("entities[2].span: byte_start 10 is after byte_end 4"));

  result = Entities();
  *result.mutable_entities(3)->mutable_span() = MakeSpan(4, 10, 10, 4);
  EXPECT_THAT(
      CheckEntities(result),
      MessageStartsWith("entities[3].span: char_start 10 is after char_end 4"));
}

TEST(ResultCheckerTest, CharOffsetsDisagreeWithByteOffsets) {
  // A plugin that wrote byte offsets into the char fields.
  v1::EntitiesResult result = Entities();
  v1::Span* span = result.mutable_entities(3)->mutable_span();  // München
  const uint32_t right_start = span->char_start();
  span->set_char_start(span->byte_start());
  span->set_char_end(span->byte_end());
  EXPECT_THAT(CheckEntities(result),
              MessageStartsWith(absl::StrCat(
                  "entities[3].span: char_start ", span->byte_start(),
                  " disagrees with byte_start ", span->byte_start(),
                  ", which is code point ", right_start)));

  // Only the end is off.
  result = Entities();
  span = result.mutable_entities(0)->mutable_span();  // Köln
  span->set_char_end(span->char_end() + 1);
  EXPECT_THAT(CheckEntities(result),
              MessageStartsWith(absl::StrCat(
                  "entities[0].span: char_end ", span->char_end(),
                  " disagrees with byte_end ", span->byte_end(),
                  ", which is code point ", span->char_end() - 1)));
}

TEST(ResultCheckerTest, NamesThePathInNestedRepeatedMessages) {
  const ResultChecker checker(v1::StanceResult::descriptor());
  const DocumentOffsets offsets(kText);

  v1::StanceResult result = Stance();
  result.mutable_statements(1)->mutable_cues(2)->set_byte_end(1000);
  EXPECT_THAT(checker.Check(result, offsets),
              MessageStartsWith("statements[1].cues[2]: byte_end 1000"));

  result = Stance();
  result.mutable_statements(0)->mutable_actor_span()->set_char_end(1);
  EXPECT_THAT(checker.Check(result, offsets),
              MessageStartsWith("statements[0].actor_span: char_start"));

  result = Stance();
  result.mutable_events(0)->mutable_reported_by_span()->set_byte_start(3);
  EXPECT_THAT(
      checker.Check(result, offsets),
      MessageStartsWith("events[0].reported_by_span: byte_start 3 is inside"));
}

TEST(ResultCheckerTest, TypesWithoutSpansAndWrongTypes) {
  const ResultChecker polarity(v1::Polarity::descriptor());
  EXPECT_FALSE(polarity.has_spans());
  const DocumentOffsets offsets(kText);
  EXPECT_TRUE(polarity.Check(v1::Polarity(), offsets).ok());

  const ResultChecker entities(v1::EntitiesResult::descriptor());
  const absl::Status status = entities.Check(v1::StanceResult(), offsets);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status, MessageHasSubstr("not a nlpd.v1.EntitiesResult"));
}

TEST(ResultCheckerTest, ASpanResult) {
  const ResultChecker checker(v1::Span::descriptor());
  const DocumentOffsets offsets(kText);
  EXPECT_TRUE(checker.Check(SpanOf(kText, "Köln"), offsets).ok());
  EXPECT_THAT(checker.Check(MakeSpan(0, 999, 0, 999), offsets),
              MessageStartsWith("(result): byte_end 999"));
}

TEST(ResultCheckerTest, MovedCheckerStillWorks) {
  ResultChecker first(v1::EntitiesResult::descriptor());
  const ResultChecker checker = std::move(first);
  const DocumentOffsets offsets(kText);
  v1::EntitiesResult result = Entities();
  EXPECT_TRUE(checker.Check(result, offsets).ok());
  result.mutable_entities(0)->mutable_span()->set_byte_end(1000);
  EXPECT_FALSE(checker.Check(result, offsets).ok());
}

// ---------------------------------------------------------------------------
// A plugin's own types: a FileDescriptorProto built into a pool over the
// generated one (as ResultSchema does), results as dynamic messages.

constexpr char kCustomFile[] = R"pb(
  name: "test/custom.proto"
  package: "test.custom"
  dependency: "nlpd/v1/document.proto"
  syntax: "proto3"
  message_type {
    name: "Mention"
    field {
      name: "span"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".nlpd.v1.Span"
    }
    field { name: "note" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
  message_type {
    name: "Plain"
    field { name: "x" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
    field {
      name: "children"
      number: 2
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.custom.Plain"
    }
  }
  message_type {
    name: "CustomResult"
    field { name: "title" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field {
      name: "mentions"
      number: 2
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.custom.Mention"
    }
    field {
      name: "by_label"
      number: 3
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.custom.CustomResult.ByLabelEntry"
    }
    field {
      name: "by_id"
      number: 4
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.custom.CustomResult.ByIdEntry"
    }
    field {
      name: "plain"
      number: 5
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".test.custom.Plain"
    }
    field {
      name: "counts"
      number: 6
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.custom.CustomResult.CountsEntry"
    }
    nested_type {
      name: "ByLabelEntry"
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
      field {
        name: "value"
        number: 2
        label: LABEL_OPTIONAL
        type: TYPE_MESSAGE
        type_name: ".test.custom.Mention"
      }
      options { map_entry: true }
    }
    nested_type {
      name: "ByIdEntry"
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
      field {
        name: "value"
        number: 2
        label: LABEL_OPTIONAL
        type: TYPE_MESSAGE
        type_name: ".nlpd.v1.Span"
      }
      options { map_entry: true }
    }
    nested_type {
      name: "CountsEntry"
      field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
      field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
      options { map_entry: true }
    }
  }
  message_type {
    name: "Tree"
    field {
      name: "span"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".nlpd.v1.Span"
    }
    field {
      name: "children"
      number: 2
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".test.custom.Tree"
    }
    field {
      name: "next"
      number: 3
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".test.custom.Tree"
    }
  }
  message_type {
    name: "Ping"
    field {
      name: "pong"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".test.custom.Pong"
    }
    field {
      name: "plain"
      number: 2
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".test.custom.Plain"
    }
  }
  message_type {
    name: "Pong"
    field {
      name: "ping"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".test.custom.Ping"
    }
    field {
      name: "spans"
      number: 2
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".nlpd.v1.Span"
    }
  }
)pb";

// Parameter: whether the factory makes nlpd.v1.Span sub-messages generated
// (delegating) or dynamic (ResultSchema's default).
class CustomTypeTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(
        google::protobuf::TextFormat::ParseFromString(kCustomFile, &file));
    ASSERT_NE(pool_.BuildFile(file), nullptr);
    factory_.SetDelegateToGeneratedFactory(GetParam());
  }

  const google::protobuf::Descriptor* Type(const std::string& name) {
    const google::protobuf::Descriptor* type =
        pool_.FindMessageTypeByName("test.custom." + name);
    EXPECT_NE(type, nullptr) << name;
    return type;
  }

  // A message of `name` from text format.
  std::unique_ptr<google::protobuf::Message> Parse(const std::string& name,
                                                   const std::string& text) {
    std::unique_ptr<google::protobuf::Message> message(
        factory_.GetPrototype(Type(name))->New());
    EXPECT_TRUE(
        google::protobuf::TextFormat::ParseFromString(text, message.get()))
        << text;
    return message;
  }

  absl::Status Check(const std::string& name, const std::string& text) {
    const ResultChecker checker(Type(name));
    const DocumentOffsets offsets(kText);
    return checker.Check(*Parse(name, text), offsets);
  }

  // "span { byte_start: .. }" for `needle` in kText.
  static std::string SpanText(absl::string_view needle) {
    const v1::Span span = SpanOf(kText, needle);
    return absl::StrCat("{ byte_start: ", span.byte_start(),
                        " byte_end: ", span.byte_end(),
                        " char_start: ", span.char_start(),
                        " char_end: ", span.char_end(), " }");
  }

  google::protobuf::DescriptorPool pool_{
      google::protobuf::DescriptorPool::generated_pool()};
  google::protobuf::DynamicMessageFactory factory_{&pool_};
};

TEST_P(CustomTypeTest, SpanDescriptorIsTheGeneratedOne) {
  EXPECT_EQ(Type("Mention")->FindFieldByName("span")->message_type(),
            v1::Span::descriptor());
}

TEST_P(CustomTypeTest, ValidResultPasses) {
  const std::string text = absl::StrCat(
      "title: 'x' mentions { span ", SpanText("Köln"), " note: 'a' }",
      " mentions { span ", SpanText("🎉"), " }",
      " by_label { key: 'LOC' value { span ", SpanText("München"), " } }",
      " by_id { key: 7 value ", SpanText("Straße"), " }",
      " counts { key: 'a' value: 1 }", " plain { x: 1 children { x: 2 } }");
  EXPECT_TRUE(Check("CustomResult", text).ok()) << Check("CustomResult", text);
}

TEST_P(CustomTypeTest, BadSpanInRepeatedMessage) {
  const absl::Status status = Check(
      "CustomResult", absl::StrCat("mentions { span ", SpanText("Köln"), " }",
                                   " mentions { span { byte_end: 1000 } }"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status, MessageStartsWith(
                          "mentions[1].span: byte_end 1000 is past the end"));
}

TEST_P(CustomTypeTest, BadSpanInMapValues) {
  EXPECT_THAT(
      Check("CustomResult",
            "by_label { key: 'P\"ER' value { span { byte_start: 3 byte_end: 4 "
            "char_start: 2 char_end: 3 } } }"),
      MessageStartsWith(
          "by_label[\"P\\\"ER\"].span: byte_start 3 is inside the "
          "2-byte character at byte 2"));
  EXPECT_THAT(
      Check("CustomResult",
            "by_id { key: -7 value { byte_start: 1 byte_end: 2 "
            "char_start: 0 char_end: 2 } }"),
      MessageStartsWith("by_id[-7]: char_start 0 disagrees with byte_start 1, "
                        "which is code point 1"));
}

TEST_P(CustomTypeTest, TypesWithoutSpans) {
  EXPECT_FALSE(ResultChecker(Type("Plain")).has_spans());
  EXPECT_TRUE(Check("Plain", "x: 1 children { children { x: 3 } }").ok());
}

TEST_P(CustomTypeTest, RecursiveType) {
  const ResultChecker checker(Type("Tree"));
  EXPECT_TRUE(checker.has_spans());
  const std::string good =
      absl::StrCat("span ", SpanText("Köln"), " children { span ",
                   SpanText("München"), " children { span ", SpanText("🎉"),
                   " } } next { next { span ", SpanText("schön"), " } }");
  EXPECT_TRUE(Check("Tree", good).ok()) << Check("Tree", good);
  EXPECT_THAT(
      Check("Tree", absl::StrCat("children { } children { children { span ",
                                 SpanText("Köln"),
                                 " } children { span { char_start: 1 } } }")),
      MessageStartsWith("children[1].children[1].span: char_start 1 is "
                        "after char_end 0"));
  EXPECT_THAT(Check("Tree", "next { next { next { span { byte_end: 99 } } } }"),
              MessageStartsWith("next.next.next.span: byte_end 99"));
}

TEST_P(CustomTypeTest, MutuallyRecursiveTypes) {
  EXPECT_TRUE(ResultChecker(Type("Ping")).has_spans());
  EXPECT_TRUE(ResultChecker(Type("Pong")).has_spans());
  EXPECT_THAT(Check("Ping", absl::StrCat("pong { ping { pong { spans ",
                                         SpanText("Köln"),
                                         " spans { byte_end: 99 } } } }")),
              MessageStartsWith("pong.ping.pong.spans[1]: byte_end 99"));
}

INSTANTIATE_TEST_SUITE_P(SpanMessages, CustomTypeTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "GeneratedSpans"
                                             : "DynamicSpans";
                         });

}  // namespace
}  // namespace nlpd
