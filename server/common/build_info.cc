#include "common/build_info.h"

#include "absl/strings/str_cat.h"
#include "nlpd/plugin.h"

// Set for this file only by server/CMakeLists.txt, so a new version or build
// type recompiles nothing else.
#if !defined(NLPD_VERSION) || !defined(NLPD_BUILD_TYPE)
#error "NLPD_VERSION and NLPD_BUILD_TYPE must be defined by the build"
#endif

namespace nlpd {

absl::string_view BuildVersion() { return NLPD_VERSION; }

absl::string_view BuildType() {
  constexpr absl::string_view kBuildType = NLPD_BUILD_TYPE;
  return kBuildType.empty() ? "unknown" : kBuildType;
}

std::string AbiVersion() {
  return absl::StrCat(NLPD_ABI_VERSION_MAJOR, ".", NLPD_ABI_VERSION_MINOR);
}

std::string VersionLine(absl::string_view program) {
  return absl::StrCat(program, " ", BuildVersion(), " (", BuildType(),
                      " build, plugin ABI ", AbiVersion(), ")\n");
}

}  // namespace nlpd
