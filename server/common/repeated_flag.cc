#include "common/repeated_flag.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace nlpd {

std::vector<std::string> CollectRepeatedFlag(int argc, char** argv,
                                             absl::string_view name) {
  const std::string long_form = absl::StrCat("--", name);
  const std::string short_form = absl::StrCat("-", name);
  std::vector<std::string> values;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    for (const std::string& form : {long_form, short_form}) {
      if (absl::StartsWith(arg, form + "=")) {
        values.emplace_back(arg.substr(form.size() + 1));
      }
    }
    if ((arg == long_form || arg == short_form) && i + 1 < argc) {
      values.emplace_back(argv[++i]);
    }
  }
  return values;
}

}  // namespace nlpd
