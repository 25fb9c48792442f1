// What this nlpd binary is: its release, build type and the plugin ABI it
// speaks. The one source of `nlpd --version` and nlpd.v1.ServerInfo. All
// functions are pure and thread-safe.
#ifndef NLPD_SERVER_COMMON_BUILD_INFO_H_
#define NLPD_SERVER_COMMON_BUILD_INFO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace nlpd {

// The nlpd release: the CMake project version ("0.1.0").
absl::string_view BuildVersion();

// The CMake build type the binary was built with ("RelWithDebInfo",
// "Release", "Debug"); "unknown" when the build named none.
absl::string_view BuildType();

// The plugin ABI version the server speaks, "MAJOR.MINOR" ("1.1"): the
// NLPD_ABI_VERSION_* of nlpd/plugin.h.
std::string AbiVersion();

// The answer to --version, one line with its '\n':
// "nlpd 0.1.0 (RelWithDebInfo build, plugin ABI 1.1)\n" for `program`
// "nlpd".
std::string VersionLine(absl::string_view program);

}  // namespace nlpd

#endif  // NLPD_SERVER_COMMON_BUILD_INFO_H_
