#include "pipeline/target_resolver.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace nlpd {
namespace {

// `text` case-folded (full Unicode folding, "Straße" -> "strasse"), with
// white space removed, as UTF-8.
std::string FoldForMatching(std::string_view text) {
  icu::UnicodeString folded =
      icu::UnicodeString::fromUTF8(
          icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
          .foldCase();
  icu::UnicodeString compact;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    if (!u_isUWhiteSpace(c)) compact.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  compact.toUTF8String(out);
  return out;
}

std::string_view SpanText(const v1::Document& document, const v1::Span& span) {
  return std::string_view(document.text())
      .substr(span.byte_start(), span.byte_end() - span.byte_start());
}

// Appends the mentions of the text target `index` (already folded).
void FindTextMentions(const v1::Document& document,
                      const std::vector<std::string>& folded_tokens,
                      const std::string& folded_target, uint32_t index,
                      std::vector<v1::TargetMention>* mentions) {
  for (const v1::Sentence& sentence : document.sentences()) {
    for (uint32_t first = sentence.token_begin(); first < sentence.token_end();
         ++first) {
      // Extend token by token while the concatenation is a prefix of the
      // target.
      size_t matched = 0;
      for (uint32_t last = first; last < sentence.token_end(); ++last) {
        const std::string& token = folded_tokens[last];
        if (folded_target.compare(matched, token.size(), token) != 0) break;
        matched += token.size();
        if (matched == folded_target.size()) {
          v1::TargetMention& mention = mentions->emplace_back();
          mention.set_target(index);
          v1::Span* span = mention.mutable_span();
          *span = document.tokens(static_cast<int>(first)).span();
          const v1::Span& end = document.tokens(static_cast<int>(last)).span();
          span->set_byte_end(end.byte_end());
          span->set_char_end(end.char_end());
          break;
        }
      }
    }
  }
}

// Byte offsets of the given code-point offsets of `text` (valid UTF-8), in
// one pass over the text. Offsets past the end are absent from the result.
absl::flat_hash_map<uint32_t, uint32_t> ByteOffsets(
    std::string_view text, std::vector<uint32_t> char_offsets) {
  std::sort(char_offsets.begin(), char_offsets.end());
  absl::flat_hash_map<uint32_t, uint32_t> bytes;
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t byte = 0;
  uint32_t code_point = 0;
  for (uint32_t wanted : char_offsets) {
    while (code_point < wanted && byte < length) {
      U8_FWD_1(data, byte, length);
      ++code_point;
    }
    if (code_point != wanted) break;  // past the end
    bytes[wanted] = static_cast<uint32_t>(byte);
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::vector<v1::TargetMention>> ResolveTargets(
    const google::protobuf::RepeatedPtrField<v1::Target>& targets,
    const v1::Document& document) {
  std::vector<v1::TargetMention> mentions;
  if (targets.empty()) return mentions;
  if (targets.size() > kMaxTargets) {
    return absl::InvalidArgumentError(
        absl::StrCat(targets.size(), " targets, over the limit of ",
                     kMaxTargets, " per request"));
  }
  std::vector<std::string> folded_tokens;
  std::vector<uint32_t> char_offsets;
  for (int i = 0; i < targets.size(); ++i) {
    const v1::Target& target = targets[i];
    switch (target.selector_case()) {
      case v1::Target::kText:
        if (folded_tokens.empty()) {
          folded_tokens.reserve(document.tokens_size());
          for (const v1::Token& token : document.tokens()) {
            folded_tokens.push_back(
                FoldForMatching(SpanText(document, token.span())));
          }
        }
        if (std::string folded = FoldForMatching(target.text());
            !folded.empty()) {
          FindTextMentions(document, folded_tokens, folded,
                           static_cast<uint32_t>(i), &mentions);
          break;
        }
        return absl::InvalidArgumentError(
            absl::StrCat("target ", i, ": the text is empty"));
      case v1::Target::kRange:
        if (target.range().char_start() >= target.range().char_end()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "target ", i, ": the range [", target.range().char_start(), ", ",
              target.range().char_end(), ") is empty"));
        }
        char_offsets.push_back(target.range().char_start());
        char_offsets.push_back(target.range().char_end());
        break;
      case v1::Target::SELECTOR_NOT_SET:
        return absl::InvalidArgumentError(
            absl::StrCat("target ", i, ": neither text nor range is set"));
    }
  }
  if (!char_offsets.empty()) {
    const absl::flat_hash_map<uint32_t, uint32_t> bytes =
        ByteOffsets(document.text(), std::move(char_offsets));
    for (int i = 0; i < targets.size(); ++i) {
      if (targets[i].selector_case() != v1::Target::kRange) continue;
      const v1::CharRange& range = targets[i].range();
      const auto end = bytes.find(range.char_end());
      if (end == bytes.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("target ", i, ": the range [", range.char_start(),
                         ", ", range.char_end(),
                         ") ends past the text (code points of the "
                         "normalized text, AnalyzeResponse.document.text)"));
      }
      v1::TargetMention& mention = mentions.emplace_back();
      mention.set_target(static_cast<uint32_t>(i));
      v1::Span* span = mention.mutable_span();
      span->set_char_start(range.char_start());
      span->set_char_end(range.char_end());
      span->set_byte_start(bytes.at(range.char_start()));
      span->set_byte_end(end->second);
    }
  }
  std::stable_sort(mentions.begin(), mentions.end(),
                   [](const v1::TargetMention& a, const v1::TargetMention& b) {
                     if (a.span().byte_start() != b.span().byte_start()) {
                       return a.span().byte_start() < b.span().byte_start();
                     }
                     return a.target() < b.target();
                   });
  return mentions;
}

}  // namespace nlpd
