#include "model/lexicon.h"

#include <algorithm>
#include <utility>

namespace nlpd::sentiment {

Lexicon::Lexicon(std::vector<Entry> entries) : entries_(std::move(entries)) {
  std::sort(entries_.begin(), entries_.end());
  entries_.erase(std::unique(entries_.begin(), entries_.end()), entries_.end());
  for (size_t i = 0; i < entries_.size();) {
    size_t end = i + 1;
    while (end < entries_.size() && entries_[end].key == entries_[i].key) ++end;
    runs_.emplace(entries_[i].key,
                  std::pair<uint32_t, uint32_t>(static_cast<uint32_t>(i),
                                                static_cast<uint32_t>(end)));
    i = end;
  }
}

std::span<const Lexicon::Entry> Lexicon::Find(uint32_t key) const {
  auto it = runs_.find(key);
  if (it == runs_.end()) return {};
  return std::span<const Entry>(entries_).subspan(
      it->second.first, it->second.second - it->second.first);
}

}  // namespace nlpd::sentiment
