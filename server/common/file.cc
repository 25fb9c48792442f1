#include "common/file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace nlpd {

absl::StatusOr<std::string> ReadFile(absl::string_view what,
                                     const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat(what, " ", path, ": cannot read"));
  }
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace nlpd
