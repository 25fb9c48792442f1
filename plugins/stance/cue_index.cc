#include "cue_index.h"

#include <algorithm>

#include "lexicon.h"

namespace nlpd::stance {
namespace {

void Append(const absl::flat_hash_map<std::string, std::vector<int>>& postings,
            std::string_view key, std::vector<int>& out) {
  // Debian's Abseil has its own string_view, not std::string_view.
  auto it = postings.find(absl::string_view(key.data(), key.size()));
  if (it != postings.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
}

}  // namespace

CueIndex::CueIndex(const std::vector<CuePattern>& cues) {
  for (size_t c = 0; c < cues.size(); ++c) {
    const int cue = static_cast<int>(c);
    for (const WordMatcher& m : cues[c].elements.front().alternatives) {
      if (m.any_prefix && m.any_suffix) {
        infix_.emplace_back(m.text, cue);
        continue;
      }
      Postings& postings = m.any_suffix   ? prefix_
                           : m.any_prefix ? suffix_
                                          : whole_;
      std::vector<int>& list = postings[m.text];
      if (list.empty() || list.back() != cue) list.push_back(cue);
      if (m.any_prefix || m.any_suffix) {
        longest_affix_ = std::max(longest_affix_, m.text.size());
      }
    }
  }
}

void CueIndex::Candidates(std::string_view token, std::vector<int>& out) const {
  out.clear();
  Append(whole_, token, out);
  const size_t longest = std::min(longest_affix_, token.size());
  for (size_t n = 1; n <= longest; ++n) {
    if (!prefix_.empty()) Append(prefix_, token.substr(0, n), out);
    if (!suffix_.empty()) Append(suffix_, token.substr(token.size() - n), out);
  }
  for (const auto& [text, cue] : infix_) {
    if (token.find(text) != std::string_view::npos) out.push_back(cue);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace nlpd::stance
