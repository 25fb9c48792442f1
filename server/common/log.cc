#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace nlpd {
namespace {

std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<int> log_format{static_cast<int>(LogFormat::kText)};

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

// A JSON string literal of `text` (UTF-8 passes through; control characters,
// quotes and backslashes are escaped).
std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00",
                          absl::BytesToHexString(absl::string_view(&c, 1)));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

void Write(LogLevel level, absl::string_view tag, absl::string_view message,
           const LogFields& fields) {
  if (static_cast<int>(level) < min_level) return;
  const std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                            absl::UTCTimeZone());
  std::string line;
  if (log_format == static_cast<int>(LogFormat::kJson)) {
    line = absl::StrCat("{\"time\":", JsonString(time),
                        ",\"level\":", JsonString(LevelName(level)));
    if (!tag.empty()) absl::StrAppend(&line, ",\"tag\":", JsonString(tag));
    absl::StrAppend(&line, ",\"message\":", JsonString(message));
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, ",", JsonString(key), ":", JsonString(value));
    }
    line += "}\n";
  } else {
    line = absl::StrCat(time, " ", LevelName(level), " ", tag,
                        tag.empty() ? "" : ": ", message);
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, " ", key, "=", value);
    }
    line += "\n";
  }
  // One fwrite per line: stdio locks the stream, so lines do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void SetLogLevel(LogLevel level) { min_level = static_cast<int>(level); }

void SetLogFormat(LogFormat format) { log_format = static_cast<int>(format); }

void Log(LogLevel level, absl::string_view message) {
  Write(level, "", message, {});
}

void Log(LogLevel level, absl::string_view tag, absl::string_view message) {
  Write(level, tag, message, {});
}

void LogWithFields(LogLevel level, absl::string_view message,
                   const LogFields& fields) {
  Write(level, "", message, fields);
}

}  // namespace nlpd
