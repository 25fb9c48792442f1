#ifndef NLPD_SERVER_TEXT_URL_FINDER_H_
#define NLPD_SERVER_TEXT_URL_FINDER_H_

#include <string_view>
#include <vector>

#include "text/text_range.h"

namespace nlpd::text {

// Finds web addresses so they become one token and never contain a sentence
// break: "scheme://..." (scheme of ASCII letters, digits, "+", "-", ".",
// starting with a letter) and "www.<something>". A URL runs to the next
// white space or angle bracket/quotation mark; trailing ".,:;!?" and
// closing brackets/quotes are left out ("(see https://a.example/x)." ends
// before ")"), unless a bracket is balanced inside the URL.
// Returns UTF-16 ranges in text order, non-overlapping. Pure; thread-safe.
std::vector<TextRange> FindUrls(std::u16string_view text);

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_URL_FINDER_H_
