// Which cue patterns can start at a token: the cues' first elements indexed
// by the words their alternatives accept, so that matching a sentence tries
// only the few cues that can start at each token instead of every cue.
#ifndef NLPD_PLUGINS_STANCE_CUE_INDEX_H_
#define NLPD_PLUGINS_STANCE_CUE_INDEX_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace nlpd::stance {

struct CuePattern;

class CueIndex {
 public:
  CueIndex() = default;
  // Indexes `cues` by their first element (a pattern never starts with a
  // gap; the lexicon parser refuses one). Keeps indices, not pointers, so
  // the index stays valid when the vector holding the cues is moved.
  explicit CueIndex(const std::vector<CuePattern>& cues);

  // Replaces `out` with the indices into the indexed vector, ascending and
  // without repeats, of exactly the cues whose first element matches
  // `lowered_token` (the same test as WordMatcher::Matches). Thread-safe.
  void Candidates(std::string_view lowered_token, std::vector<int>& out) const;

 private:
  using Postings = absl::flat_hash_map<std::string, std::vector<int>>;
  Postings whole_;   // "word": the token is the word
  Postings prefix_;  // "word*": the token starts with the word
  Postings suffix_;  // "*word": the token ends with the word
  std::vector<std::pair<std::string, int>> infix_;  // "*word*"
  size_t longest_affix_ = 0;  // no prefix or suffix key is longer
};

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_CUE_INDEX_H_
