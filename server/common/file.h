// Reading a whole file the server was told about (config, certificates).
#ifndef NLPD_SERVER_COMMON_FILE_H_
#define NLPD_SERVER_COMMON_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nlpd {

// The bytes of the file at `path`. Errors: NOT_FOUND "<what> <path>: cannot
// read", where `what` names the setting ("config", "tls_cert"). Thread-safe.
absl::StatusOr<std::string> ReadFile(absl::string_view what,
                                     const std::string& path);

}  // namespace nlpd

#endif  // NLPD_SERVER_COMMON_FILE_H_
