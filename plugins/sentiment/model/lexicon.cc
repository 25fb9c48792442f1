#include "model/lexicon.h"

#include <algorithm>
#include <utility>

namespace nlpd::sentiment {

Lexicon::Lexicon(std::vector<Entry> entries) : entries_(std::move(entries)) {
  std::sort(entries_.begin(), entries_.end());
  entries_.erase(std::unique(entries_.begin(), entries_.end()), entries_.end());
}

std::span<const Lexicon::Entry> Lexicon::Find(uint32_t key) const {
  auto first = std::lower_bound(
      entries_.begin(), entries_.end(), key,
      [](const Entry& entry, uint32_t k) { return entry.key < k; });
  auto last = first;
  while (last != entries_.end() && last->key == key) ++last;
  return {first, last};
}

}  // namespace nlpd::sentiment
