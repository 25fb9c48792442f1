#include "entity_index.h"

#include <algorithm>

namespace nlpd::stance {

// Names shorter than this are not looked for inside role words.
constexpr size_t kMinFusedName = 4;
// A role word leaves more than this many bytes after the name.
constexpr size_t kMinRoleRest = 2;

EntityIndex::EntityIndex(const nlpd::v1::EntitiesResult& entities) {
  const int count = entities.entities_size();
  running_max_end_.reserve(count);
  last_person_.reserve(count + 1);
  last_person_.push_back(-1);
  uint32_t max_end = 0;
  for (int e = 0; e < count; ++e) {
    const nlpd::v1::Entity& entity = entities.entities(e);
    max_end = std::max(max_end, entity.span().char_end());
    running_max_end_.push_back(max_end);
    last_person_.push_back(entity.label() == "PER" ? e : last_person_.back());
    std::string name = Lowercase(entity.text());
    if (name.size() >= kMinFusedName) {
      longest_name_ = std::max(longest_name_, name.size());
      lowest_by_name_.emplace(std::move(name), e);  // keeps the lowest
    }
  }
}

int EntityIndex::FirstEndingAfter(uint32_t char_position) const {
  // The first entity ending after the position is the first at which the
  // running maximum of the ends passes it.
  return static_cast<int>(std::upper_bound(running_max_end_.begin(),
                                           running_max_end_.end(),
                                           char_position) -
                          running_max_end_.begin());
}

int EntityIndex::LastPersonBefore(uint32_t char_position) const {
  return last_person_[FirstEndingAfter(char_position)];
}

int EntityIndex::FusedNameEntity(std::string_view lowered_word,
                                 const Lexicon& lexicon) const {
  int found = -1;
  const size_t longest =
      std::min(longest_name_, lowered_word.size() < kMinRoleRest + 1
                                  ? size_t{0}
                                  : lowered_word.size() - kMinRoleRest - 1);
  for (size_t length = kMinFusedName; length <= longest; ++length) {
    auto it = lowest_by_name_.find(std::string(lowered_word.substr(0, length)));
    if (it == lowest_by_name_.end()) continue;
    if (found >= 0 && it->second > found) continue;
    if (lexicon.InSet("role_noun", lowered_word.substr(length))) {
      found = it->second;
    }
  }
  return found;
}

}  // namespace nlpd::stance
