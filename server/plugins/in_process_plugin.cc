#include "plugins/in_process_plugin.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "plugins/host_api.h"

namespace nlpd {

InProcessPlugin::InProcessPlugin(v1::PluginInfo info,
                                 const nlpd_plugin_api* api,
                                 nlpd_plugin_instance* instance,
                                 bool thread_safe)
    : Plugin(std::move(info)),
      api_(api),
      instance_(instance),
      thread_safe_(thread_safe) {}

InProcessPlugin::~InProcessPlugin() {
  ScopedPluginLogTag tag(name().c_str());
  api_->destroy(instance_);
}

absl::StatusOr<std::string> InProcessPlugin::Analyze(
    const PluginCall& call) const {
  if (thread_safe_) return CallAnalyze(call);
  absl::MutexLock lock(&serial_mutex_);
  return CallAnalyze(call);
}

absl::StatusOr<std::string> InProcessPlugin::CallAnalyze(
    const PluginCall& call) const {
  nlpd_analyze_input input{};
  input.struct_size = sizeof(input);
  input.request = reinterpret_cast<const uint8_t*>(call.request.data());
  input.request_size = call.request.size();
  input.text = call.text.data();
  input.text_size = call.text.size();
  input.language = call.language->c_str();
  nlpd_result_sink sink;
  sink.call = call.context;
  ScopedPluginLogTag tag(name().c_str());
  if (nlpd_error* error = api_->analyze(instance_, &input, &sink)) {
    return TakeError(error, absl::StrCat("plugin '", name(), "'"));
  }
  if (!sink.written) {
    return absl::InternalError(absl::StrCat(
        "plugin '", name(), "' returned success without a result"));
  }
  return std::move(sink.bytes);
}

}  // namespace nlpd
