#include "plugins/plugin.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "plugins/host_api.h"
#include "text/language_id.h"

namespace nlpd {

Plugin::Plugin(v1::PluginInfo info, const nlpd_plugin_api* api,
               nlpd_plugin_instance* instance)
    : info_(std::move(info)),
      api_(api),
      instance_(instance),
      thread_safe_(api->descriptor->thread_safe != 0) {}

Plugin::~Plugin() {
  ScopedPluginLogTag tag(info_.name().c_str());
  api_->destroy(instance_);
}

bool Plugin::SupportsLanguage(std::string_view language) const {
  const std::string_view primary = text::PrimarySubtag(language);
  return std::any_of(
      info_.languages().begin(), info_.languages().end(),
      [primary](const std::string& supported) {
        const std::string_view supported_primary =
            text::PrimarySubtag(supported);
        return supported == "*" ||
               absl::EqualsIgnoreCase(
                   absl::string_view(primary.data(), primary.size()),
                   absl::string_view(supported_primary.data(),
                                     supported_primary.size()));
      });
}

absl::StatusOr<std::string> Plugin::Analyze(std::string_view request,
                                            std::string_view text,
                                            const std::string& language) const {
  if (thread_safe_) return CallAnalyze(request, text, language);
  absl::MutexLock lock(&serial_mutex_);
  return CallAnalyze(request, text, language);
}

absl::StatusOr<std::string> Plugin::CallAnalyze(
    std::string_view request, std::string_view text,
    const std::string& language) const {
  nlpd_analyze_input input{};
  input.struct_size = sizeof(input);
  input.request = reinterpret_cast<const uint8_t*>(request.data());
  input.request_size = request.size();
  input.text = text.data();
  input.text_size = text.size();
  input.language = language.c_str();
  nlpd_result_sink sink;
  ScopedPluginLogTag tag(info_.name().c_str());
  if (nlpd_error* error = api_->analyze(instance_, &input, &sink)) {
    return TakeError(error, absl::StrCat("plugin '", info_.name(), "'"));
  }
  if (!sink.written) {
    return absl::InternalError(absl::StrCat(
        "plugin '", info_.name(), "' returned success without a result"));
  }
  return std::move(sink.bytes);
}

}  // namespace nlpd
