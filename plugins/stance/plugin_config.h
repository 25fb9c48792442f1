// The stance plugin's configuration: the `config` string of its entry in
// the server's config file. One directive per line, `#` starts a comment:
//
//   cues <language> <path>   an extra lexicon file for <language>, in the
//                            format of lang/<tag>/*.txt (docs/STANCE.md),
//                            read after the built-in files in the order
//                            given; a relative path is relative to the
//                            server's working directory
#ifndef NLPD_PLUGINS_STANCE_PLUGIN_CONFIG_H_
#define NLPD_PLUGINS_STANCE_PLUGIN_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace nlpd::stance {

// One `cues` line with the text of the file it names.
struct ExtraLexicon {
  std::string language;
  std::string path;
  std::string text;
};

// Parses `config` and reads every file it names, in order. Returns
// InvalidArgument naming the config line for a malformed or unknown
// directive, and NotFound naming the path for a file that cannot be read.
// Whether the language exists is the caller's check. Thread-compatible.
absl::StatusOr<std::vector<ExtraLexicon>> LoadExtraLexicons(
    std::string_view config);

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_PLUGIN_CONFIG_H_
