#include "plugins/result_checker.h"

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "nlpd/span.h"
#include "nlpd/v1/document.pb.h"

namespace nlpd {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::Reflection;

// The type of the messages a field leads to: the field's message type, the
// value type of a map of messages, or null.
const Descriptor* ChildType(const FieldDescriptor* field) {
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
  if (field->is_map()) {
    const FieldDescriptor* value = field->message_type()->map_value();
    return value->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
               ? value->message_type()
               : nullptr;
  }
  return field->message_type();
}

// A singular uint32 field `name` of `type`, or null.
const FieldDescriptor* OffsetField(const Descriptor* type,
                                   absl::string_view name) {
  const FieldDescriptor* field = type->FindFieldByName(std::string(name));
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_UINT32) {
    return nullptr;
  }
  return field;
}

void AppendMapKey(const Message& entry, const FieldDescriptor* key,
                  std::string* out) {
  const Reflection* reflection = entry.GetReflection();
  switch (key->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      absl::StrAppend(
          out, "\"", absl::CHexEscape(reflection->GetString(entry, key)), "\"");
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(out, reflection->GetInt32(entry, key));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(out, reflection->GetInt64(entry, key));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, reflection->GetUInt32(entry, key));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(out, reflection->GetUInt64(entry, key));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append(reflection->GetBool(entry, key) ? "true" : "false");
      break;
    default:  // Protobuf allows no other key types.
      out->append("?");
      break;
  }
}

// "the 2-byte character at byte 7", for a byte offset inside it.
std::string DescribeCharacterAround(const DocumentOffsets& offsets,
                                    uint32_t byte) {
  uint32_t start = byte;
  // A character has at most three continuation bytes.
  for (int i = 0; i < 3 && start > 0 && !offsets.IsCharBoundary(start); ++i) {
    --start;
  }
  const uint8_t lead = static_cast<uint8_t>(offsets.text()[start]);
  const int length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return absl::StrCat("the ", length, "-byte character at byte ", start);
}

struct SpanOffsets {
  uint32_t byte_start;
  uint32_t byte_end;
  uint32_t char_start;
  uint32_t char_end;
};

// What is wrong with `span`, or "" when nothing is.
std::string SpanProblem(const SpanOffsets& span,
                        const DocumentOffsets& offsets) {
  if (span.byte_start > span.byte_end) {
    return absl::StrCat("byte_start ", span.byte_start, " is after byte_end ",
                        span.byte_end);
  }
  if (span.byte_end > offsets.size()) {
    return absl::StrCat("byte_end ", span.byte_end, " is past the end of the ",
                        offsets.size(), "-byte text");
  }
  if (span.char_start > span.char_end) {
    return absl::StrCat("char_start ", span.char_start, " is after char_end ",
                        span.char_end);
  }
  if (!offsets.IsCharBoundary(span.byte_start)) {
    return absl::StrCat("byte_start ", span.byte_start, " is inside ",
                        DescribeCharacterAround(offsets, span.byte_start));
  }
  if (!offsets.IsCharBoundary(span.byte_end)) {
    return absl::StrCat("byte_end ", span.byte_end, " is inside ",
                        DescribeCharacterAround(offsets, span.byte_end));
  }
  if (const uint32_t start = offsets.CharOffset(span.byte_start);
      start != span.char_start) {
    return absl::StrCat("char_start ", span.char_start,
                        " disagrees with byte_start ", span.byte_start,
                        ", which is code point ", start);
  }
  if (const uint32_t end = offsets.CharOffset(span.byte_end);
      end != span.char_end) {
    return absl::StrCat("char_end ", span.char_end, " disagrees with byte_end ",
                        span.byte_end, ", which is code point ", end);
  }
  return std::string();
}

}  // namespace

DocumentOffsets::DocumentOffsets(absl::string_view text) : text_(text) {}

void DocumentOffsets::BuildIndex() const {
  const size_t size = text_.size();
  block_chars_.resize(size / kBlockBytes + 1);
  uint32_t chars = 0;
  for (size_t block = 0; block < block_chars_.size(); ++block) {
    block_chars_[block] = chars;
    const size_t begin = block * kBlockBytes;
    chars += sdk::CodePointCount(std::string_view(
        text_.data() + begin, std::min<size_t>(kBlockBytes, size - begin)));
  }
  ascii_ = chars == size;
}

uint32_t DocumentOffsets::CharOffset(uint32_t byte) const {
  absl::call_once(index_once_, &DocumentOffsets::BuildIndex, this);
  byte = std::min(byte, size());
  if (ascii_) return byte;
  const uint32_t block = byte / kBlockBytes;
  const uint32_t begin = block * kBlockBytes;
  return block_chars_[block] + sdk::CodePointCount(std::string_view(
                                   text_.data() + begin, byte - begin));
}

// A message type that can hold a span: either nlpd.v1.Span itself, or a
// type with fields leading (transitively) to one.
struct ResultChecker::Node {
  enum class Kind { kSingular, kRepeated, kMap };

  // A field whose messages can hold a span.
  struct Edge {
    const FieldDescriptor* field;
    Kind kind;
    // kMap: the entry's key and value fields, and a node (without edges)
    // for the entry type, for its reflection.
    const FieldDescriptor* map_key = nullptr;
    const FieldDescriptor* map_value = nullptr;
    const Node* map_entry = nullptr;
    // The node of the field's (map: the value's) type.
    const Node* target = nullptr;
  };

  // Where the walk is: one step per field entered.
  struct Step {
    const Edge* edge;
    int index;             // kRepeated: the element.
    const Message* entry;  // kMap: the entry, for its key.
  };
  using Path = absl::InlinedVector<Step, 8>;

  bool is_span() const { return byte_start != nullptr; }

  // Whether `message` is an object of the generated class of `type`.
  bool IsGenerated(const Message& message) const {
    return generated_class != nullptr && typeid(message) == *generated_class;
  }

  // message.GetReflection(), which for a generated message goes through
  // protobuf's lazy descriptor set-up (a call_once) on every call.
  const Reflection* ReflectionOf(const Message& message) const {
    return IsGenerated(message) ? generated_reflection
                                : message.GetReflection();
  }

  absl::Status Check(const Message& message, const DocumentOffsets& offsets,
                     Path& path) const {
    if (is_span()) return CheckSpan(message, offsets, path);
    const Reflection* reflection = ReflectionOf(message);
    for (const Edge& edge : edges) {
      if (edge.kind == Kind::kSingular) {
        // Not only a shortcut: the default message of a recursive type
        // would lead to itself forever.
        if (!reflection->HasField(message, edge.field)) continue;
        path.push_back({&edge, -1, nullptr});
        absl::Status status = edge.target->Check(
            reflection->GetMessage(message, edge.field), offsets, path);
        if (!status.ok()) return status;
        path.pop_back();
        continue;
      }
      const int size = reflection->FieldSize(message, edge.field);
      for (int i = 0; i < size; ++i) {
        const Message& element =
            reflection->GetRepeatedMessage(message, edge.field, i);
        absl::Status status;
        if (edge.kind == Kind::kRepeated) {
          path.push_back({&edge, i, nullptr});
          status = edge.target->Check(element, offsets, path);
        } else {
          path.push_back({&edge, i, &element});
          status = edge.target->Check(
              edge.map_entry->ReflectionOf(element)->GetMessage(element,
                                                                edge.map_value),
              offsets, path);
        }
        if (!status.ok()) return status;
        path.pop_back();
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckSpan(const Message& message, const DocumentOffsets& offsets,
                         const Path& path) const {
    SpanOffsets span;
    if (generated_span && IsGenerated(message)) {
      const auto& typed = static_cast<const v1::Span&>(message);
      span = {typed.byte_start(), typed.byte_end(), typed.char_start(),
              typed.char_end()};
    } else {
      const Reflection* reflection = message.GetReflection();
      span = {reflection->GetUInt32(message, byte_start),
              reflection->GetUInt32(message, byte_end),
              reflection->GetUInt32(message, char_start),
              reflection->GetUInt32(message, char_end)};
    }
    std::string problem = SpanProblem(span, offsets);
    if (problem.empty()) return absl::OkStatus();
    return absl::InternalError(
        absl::StrCat(FormatPath(path), ": ", problem, " (span: bytes [",
                     span.byte_start, ", ", span.byte_end, "), chars [",
                     span.char_start, ", ", span.char_end, "))"));
  }

  // "targets[2].span", "by_label[\"PER\"].span"; "(result)" for the root.
  static std::string FormatPath(const Path& path) {
    std::string out;
    for (const Step& step : path) {
      if (!out.empty()) out.push_back('.');
      out.append(step.edge->field->name());
      if (step.edge->kind == Kind::kRepeated) {
        absl::StrAppend(&out, "[", step.index, "]");
      } else if (step.edge->kind == Kind::kMap) {
        out.push_back('[');
        AppendMapKey(*step.entry, step.edge->map_key, &out);
        out.push_back(']');
      }
    }
    if (out.empty()) out = "(result)";
    return out;
  }

  const Descriptor* type = nullptr;
  // When `type` has a generated class (linked into this process): that
  // class and its reflection, to recognize its objects by their C++ type.
  // Dynamic messages of `type` use their own reflection.
  const std::type_info* generated_class = nullptr;
  const Reflection* generated_reflection = nullptr;
  // A Span: its offset fields (all set); whether `type` is nlpd.v1.Span of
  // the generated pool, whose generated objects are read without
  // reflection.
  const FieldDescriptor* byte_start = nullptr;
  const FieldDescriptor* byte_end = nullptr;
  const FieldDescriptor* char_start = nullptr;
  const FieldDescriptor* char_end = nullptr;
  bool generated_span = false;
  // Not a Span: the fields to walk, in field order.
  std::vector<Edge> edges;
};

// A node for `type`, knowing its generated class if it has one.
std::unique_ptr<ResultChecker::Node> ResultChecker::NewNode(
    const Descriptor* type) {
  auto node = std::make_unique<Node>();
  node->type = type;
  if (type->file()->pool() == DescriptorPool::generated_pool()) {
    const Message* prototype =
        MessageFactory::generated_factory()->GetPrototype(type);
    if (prototype != nullptr) {
      node->generated_class = &typeid(*prototype);
      node->generated_reflection = prototype->GetReflection();
    }
  }
  return node;
}

ResultChecker::ResultChecker(const Descriptor* type) : type_(type) {
  // 1. Every message type reachable from `type`, each once (recursive types
  //    end the search where they repeat). Spans are leaves.
  std::vector<std::unique_ptr<Node>> candidates;
  absl::flat_hash_map<const Descriptor*, size_t> index;
  auto visit = [&](const Descriptor* d) {
    if (index.emplace(d, candidates.size()).second) {
      candidates.push_back(NewNode(d));
    }
  };
  visit(type);
  std::deque<size_t> to_span;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Node& node = *candidates[i];
    const Descriptor* d = node.type;
    if (d->full_name() == v1::Span::descriptor()->full_name()) {
      node.byte_start = OffsetField(d, "byte_start");
      node.byte_end = OffsetField(d, "byte_end");
      node.char_start = OffsetField(d, "char_start");
      node.char_end = OffsetField(d, "char_end");
      if (node.byte_start && node.byte_end && node.char_start &&
          node.char_end) {
        node.generated_span = d == v1::Span::descriptor();
        to_span.push_back(i);
        continue;
      }
      // The same name with another shape: not a Span.
      node.byte_start = node.byte_end = node.char_start = node.char_end =
          nullptr;
    }
    for (int f = 0; f < d->field_count(); ++f) {
      if (const Descriptor* child = ChildType(d->field(f))) visit(child);
    }
  }

  // 2. Which of them can hold a span: the Spans, and every type with a
  //    field leading to one (breadth-first over the reversed fields).
  std::vector<std::vector<size_t>> parents(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Node& node = *candidates[i];
    if (node.is_span()) continue;
    for (int f = 0; f < node.type->field_count(); ++f) {
      if (const Descriptor* child = ChildType(node.type->field(f))) {
        parents[index.at(child)].push_back(i);
      }
    }
  }
  std::vector<bool> holds_span(candidates.size(), false);
  for (size_t i : to_span) holds_span[i] = true;
  while (!to_span.empty()) {
    const size_t i = to_span.front();
    to_span.pop_front();
    for (size_t parent : parents[i]) {
      if (!holds_span[parent]) {
        holds_span[parent] = true;
        to_span.push_back(parent);
      }
    }
  }

  // 3. Keep those, with edges only along fields that lead to a span.
  std::vector<std::unique_ptr<Node>> map_entries;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Node& node = *candidates[i];
    if (!holds_span[i] || node.is_span()) continue;
    for (int f = 0; f < node.type->field_count(); ++f) {
      const FieldDescriptor* field = node.type->field(f);
      const Descriptor* child = ChildType(field);
      if (child == nullptr) continue;
      const size_t target = index.at(child);
      if (!holds_span[target]) continue;
      Node::Edge edge{field, Node::Kind::kSingular};
      if (field->is_map()) {
        edge.kind = Node::Kind::kMap;
        edge.map_key = field->message_type()->map_key();
        edge.map_value = field->message_type()->map_value();
        map_entries.push_back(NewNode(field->message_type()));
        edge.map_entry = map_entries.back().get();
      } else if (field->is_repeated()) {
        edge.kind = Node::Kind::kRepeated;
      }
      edge.target = candidates[target].get();
      node.edges.push_back(edge);
    }
  }
  if (holds_span[0]) root_ = candidates[0].get();
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (holds_span[i]) nodes_.push_back(std::move(candidates[i]));
  }
  for (std::unique_ptr<Node>& entry : map_entries) {
    nodes_.push_back(std::move(entry));
  }
}

ResultChecker::~ResultChecker() = default;
ResultChecker::ResultChecker(ResultChecker&&) noexcept = default;
ResultChecker& ResultChecker::operator=(ResultChecker&&) noexcept = default;

absl::Status ResultChecker::Check(const Message& result,
                                  const DocumentOffsets& offsets) const {
  if (result.GetDescriptor() != type_) {
    return absl::InternalError(absl::StrCat("the result is a ",
                                            result.GetDescriptor()->full_name(),
                                            ", not a ", type_->full_name()));
  }
  if (root_ == nullptr) return absl::OkStatus();
  Node::Path path;
  return root_->Check(result, offsets, path);
}

}  // namespace nlpd
