// The server's typed configuration (nlpd.v1.ServerConfig): loaded from a
// text-format file, overridden by flags, completed with built-in defaults.
#ifndef NLPD_SERVER_CONFIG_SERVER_CONFIG_H_
#define NLPD_SERVER_CONFIG_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlpd/v1/config.pb.h"

namespace nlpd {

inline constexpr char kDefaultListen[] = "127.0.0.1:50051";
inline constexpr uint64_t kDefaultMaxTextBytes = 1 << 20;
inline constexpr uint32_t kDefaultQueuePerWorker = 64;
inline constexpr uint32_t kDefaultStreamWindowPerWorker = 2;
inline constexpr double kDefaultDeadlineGraceSeconds = 1.0;

// Parses the text-format ServerConfig in `path`. Errors: NOT_FOUND when the
// file cannot be read, INVALID_ARGUMENT with line and column of a syntax
// error or unknown field.
absl::StatusOr<v1::ServerConfig> LoadServerConfig(const std::string& path);

// Fills every unset field of `config` with its default. `default_plugin_dirs`
// are used when no plugin directory was configured. Pure.
void ApplyDefaults(const std::vector<std::string>& default_plugin_dirs,
                   v1::ServerConfig* config);

// The nlpd-plugin-host binary beside the server binary at `binary_path`.
std::string PluginHostBinary(const std::string& binary_path);

// The absolute path of the Python interpreter for Python plugins:
// `configured` (ServerConfig.python; a bare name is looked up on $PATH), or
// when empty $VIRTUAL_ENV/bin/python if the server runs in a virtual
// environment, else python3 on $PATH. Errors: NOT_FOUND saying what was
// looked for. Reads the environment.
absl::StatusOr<std::string> FindPython(const std::string& configured);

// The built-in plugin directories for a server binary at `binary_path`:
// <bindir>/../plugins (build tree) and <bindir>/../lib/nlpd/plugins
// (installed), those that exist.
std::vector<std::string> BuiltInPluginDirs(const std::string& binary_path);

}  // namespace nlpd

#endif  // NLPD_SERVER_CONFIG_SERVER_CONFIG_H_
