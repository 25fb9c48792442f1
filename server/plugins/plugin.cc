#include "plugins/plugin.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "text/language_id.h"

namespace nlpd {

bool Plugin::SupportsLanguage(std::string_view language) const {
  const std::string_view primary = text::PrimarySubtag(language);
  return std::any_of(
      info_.languages().begin(), info_.languages().end(),
      [primary](const std::string& supported) {
        const std::string_view supported_primary =
            text::PrimarySubtag(supported);
        return supported == "*" ||
               absl::EqualsIgnoreCase(
                   absl::string_view(primary.data(), primary.size()),
                   absl::string_view(supported_primary.data(),
                                     supported_primary.size()));
      });
}

}  // namespace nlpd
