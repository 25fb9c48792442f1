#include "plugin_config.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"

namespace nlpd::stance {
namespace {

// The whitespace-separated fields of `line` with its comment removed.
std::vector<std::string> Fields(std::string_view line) {
  const std::size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  std::vector<std::string> fields;
  std::istringstream in{std::string(line)};
  for (std::string field; in >> field;) fields.push_back(field);
  return fields;
}

}  // namespace

absl::StatusOr<std::vector<ExtraLexicon>> LoadExtraLexicons(
    std::string_view config) {
  std::vector<ExtraLexicon> extras;
  int line_number = 0;
  std::istringstream lines{std::string(config)};
  for (std::string line; std::getline(lines, line);) {
    ++line_number;
    const std::vector<std::string> fields = Fields(line);
    if (fields.empty()) continue;
    if (fields[0] != "cues" || fields.size() != 3) {
      return absl::InvalidArgumentError(
          "stance config line " + std::to_string(line_number) +
          ": expected \"cues <language> <path>\", got \"" + line + "\"");
    }
    ExtraLexicon extra{.language = fields[1], .path = fields[2]};
    std::ifstream file(extra.path, std::ios::binary);
    if (!file) {
      return absl::NotFoundError("stance config line " +
                                 std::to_string(line_number) +
                                 ": cannot read cue file " + extra.path);
    }
    std::ostringstream text;
    text << file.rdbuf();
    extra.text = std::move(text).str();
    extras.push_back(std::move(extra));
  }
  return extras;
}

}  // namespace nlpd::stance
