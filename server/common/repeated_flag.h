// Command-line flags that may be given more than once.
#ifndef NLPD_SERVER_COMMON_REPEATED_FLAG_H_
#define NLPD_SERVER_COMMON_REPEATED_FLAG_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace nlpd {

// Every value of flag `name` in argv ("--name=V", "--name V", "-name=V",
// "-name V"), in order, up to a "--". absl flags keep only the last value
// of a repeated flag, so flags meant to repeat (--plugin_dir) are read from
// argv with this before absl::ParseCommandLine (which must still declare
// them). Pure.
std::vector<std::string> CollectRepeatedFlag(int argc, char** argv,
                                             absl::string_view name);

}  // namespace nlpd

#endif  // NLPD_SERVER_COMMON_REPEATED_FLAG_H_
