#include "plugins/host_api.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace nlpd {
namespace {

// The plugin whose code runs on this thread; set around create/analyze.
thread_local const char* current_plugin = "plugin";

nlpd_error* ErrorNew(nlpd_error_code code, const char* message) {
  return new nlpd_error{code, message != nullptr ? message : ""};
}

nlpd_error* ResultWrite(nlpd_result_sink* sink, const uint8_t* data,
                        size_t size) {
  if (sink == nullptr) {
    return ErrorNew(NLPD_ERROR_INVALID_ARGUMENT, "result_write: null sink");
  }
  if (data == nullptr && size != 0) {
    return ErrorNew(NLPD_ERROR_INVALID_ARGUMENT, "result_write: null data");
  }
  sink->bytes.assign(reinterpret_cast<const char*>(data), size);
  sink->written = true;
  return nullptr;
}

void PluginLog(nlpd_log_level level, const char* message) {
  LogLevel server_level = LogLevel::kInfo;
  switch (level) {
    case NLPD_LOG_DEBUG:
      server_level = LogLevel::kDebug;
      break;
    case NLPD_LOG_INFO:
      server_level = LogLevel::kInfo;
      break;
    case NLPD_LOG_WARNING:
      server_level = LogLevel::kWarning;
      break;
    case NLPD_LOG_ERROR:
      server_level = LogLevel::kError;
      break;
  }
  Log(server_level, current_plugin, message != nullptr ? message : "");
}

int IsCancelled(const nlpd_result_sink* sink) {
  return sink != nullptr && sink->call != nullptr && sink->call->Over() ? 1 : 0;
}

absl::StatusCode StatusCodeOf(nlpd_error_code code) {
  int value = static_cast<int>(code);
  // nlpd_error_code values are google.rpc.Code values; anything else a
  // plugin invents is INTERNAL.
  if (value <= 0 ||
      value > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
    return absl::StatusCode::kInternal;
  }
  return static_cast<absl::StatusCode>(value);
}

}  // namespace

const nlpd_host_api* HostApi() {
  static const nlpd_host_api api = {sizeof(nlpd_host_api),
                                    NLPD_ABI_VERSION_MAJOR,
                                    NLPD_ABI_VERSION_MINOR,
                                    &ErrorNew,
                                    &ResultWrite,
                                    &PluginLog,
                                    &IsCancelled};
  return &api;
}

absl::Status TakeError(nlpd_error* error, absl::string_view context) {
  absl::Status status(StatusCodeOf(error->code),
                      absl::StrCat(context, ": ", error->message));
  delete error;
  return status;
}

ScopedPluginLogTag::ScopedPluginLogTag(const char* name)
    : previous_(current_plugin) {
  current_plugin = name;
}

ScopedPluginLogTag::~ScopedPluginLogTag() { current_plugin = previous_; }

}  // namespace nlpd
