// EntityIndex: what the stance analysis looks up in the entities plugin's
// mentions, built once per document so that each look-up costs a binary
// search or a few hash probes instead of a scan of all mentions (issue 14:
// the analysis scales with the text, not with its actors squared).
#ifndef NLPD_PLUGINS_STANCE_ENTITY_INDEX_H_
#define NLPD_PLUGINS_STANCE_ENTITY_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lexicon.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::stance {

class EntityIndex {
 public:
  // Indexes `entities` (kept by reference; must outlive the index).
  explicit EntityIndex(const nlpd::v1::EntitiesResult& entities);

  // The first entity (index into EntitiesResult.entities) whose span ends
  // after code point `char_position`, or entities_size() when none does:
  // where a scan from the first entity that skips those ending at or before
  // `char_position` stops, whatever the order of the entities.
  int FirstEndingAfter(uint32_t char_position) const;

  // The last "PER" entity before FirstEndingAfter(char_position), or -1.
  int LastPersonBefore(uint32_t char_position) const;

  // A name fused into a role word ("kremlsprecher"): the lowest entity whose
  // lower-cased text `name` has at least 4 bytes, starts `lowered_word`,
  // leaves more than 2 bytes after it, and whose rest is in the lexicon set
  // "role_noun"; -1 when none.
  int FusedNameEntity(std::string_view lowered_word,
                      const Lexicon& lexicon) const;

 private:
  // running_max_end_[e]: the largest char_end of entities 0..e (ascending).
  std::vector<uint32_t> running_max_end_;
  // last_person_[k]: the last PER entity below k, or -1 (size E + 1).
  std::vector<int> last_person_;
  // Lower-cased entity texts of at least 4 bytes, to their lowest entity.
  std::unordered_map<std::string, int> lowest_by_name_;
  size_t longest_name_ = 0;
};

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_ENTITY_INDEX_H_
