// The server's log: one line per event on stderr, with time, level and an
// optional tag (the plugin's name for plugin messages). Text by default;
// JSON lines (one object per line) for log collectors.
#ifndef NLPD_SERVER_COMMON_LOG_H_
#define NLPD_SERVER_COMMON_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace nlpd {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };
enum class LogFormat { kText, kJson };

// Messages below `level` are dropped. Default kInfo. Call before starting
// threads.
void SetLogLevel(LogLevel level);

// kText: "2026-12-04T05:19:56.021Z INFO tag: message key=value ...";
// kJson:
// {"time":"...","level":"INFO","tag":"...","message":"...","key":"value"}.
// Default kText. Call before starting threads.
void SetLogFormat(LogFormat format);

// Writes one line. Thread-safe: lines from different threads never
// interleave.
void Log(LogLevel level, absl::string_view message);
void Log(LogLevel level, absl::string_view tag, absl::string_view message);

// One line with named fields (a request's id, method, status, ...): in text
// as key=value pairs after the message, in JSON as members.
using LogFields = std::vector<std::pair<std::string, std::string>>;
void LogWithFields(LogLevel level, absl::string_view message,
                   const LogFields& fields);

}  // namespace nlpd

#endif  // NLPD_SERVER_COMMON_LOG_H_
