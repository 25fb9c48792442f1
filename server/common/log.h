// The server's log: one line per event on stderr, with time, level and an
// optional tag (the plugin's name for plugin messages).
#ifndef NLPD_SERVER_COMMON_LOG_H_
#define NLPD_SERVER_COMMON_LOG_H_

#include "absl/strings/string_view.h"

namespace nlpd {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Messages below `level` are dropped. Default kInfo. Call before starting
// threads.
void SetLogLevel(LogLevel level);

// Writes one line. Thread-safe: lines from different threads never
// interleave.
void Log(LogLevel level, absl::string_view message);
void Log(LogLevel level, absl::string_view tag, absl::string_view message);

}  // namespace nlpd

#endif  // NLPD_SERVER_COMMON_LOG_H_
