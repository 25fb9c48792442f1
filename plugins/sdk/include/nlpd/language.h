// Language tags as the server and plugins match them.
#ifndef NLPD_LANGUAGE_H_
#define NLPD_LANGUAGE_H_

#include <string_view>

namespace nlpd::sdk {

// The primary language subtag of a BCP-47 tag (Document.language), as a view
// into it: "de" for "de", "de-AT" or "de_CH", "zh" for "zh-Hant". The server
// matches a plugin's languages on it; plugins pick their models by it.
// Pure; thread-safe.
inline std::string_view PrimarySubtag(std::string_view tag) {
  return tag.substr(0, tag.find_first_of("-_"));
}

}  // namespace nlpd::sdk

#endif  // NLPD_LANGUAGE_H_
