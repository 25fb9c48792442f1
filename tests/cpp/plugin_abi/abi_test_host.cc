#include "abi_test_host.h"

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/time/clock.h"

namespace nlpd::testing {
namespace {

nlpd_error* ErrorNew(nlpd_error_code code, const char* message) {
  return new nlpd_error{code, message != nullptr ? message : ""};
}

nlpd_error* ResultWrite(nlpd_result_sink* sink, const uint8_t* data,
                        size_t size) {
  if (sink == nullptr) {
    return ErrorNew(NLPD_ERROR_INVALID_ARGUMENT, "NULL sink");
  }
  sink->bytes.assign(reinterpret_cast<const char*>(data), size);
  return nullptr;
}

void Log(nlpd_log_level, const char*) {}

int IsCancelled(const nlpd_result_sink* sink) {
  return ++sink->polls > sink->cancel_after_polls ? 1 : 0;
}

}  // namespace

const nlpd_host_api* TestHostApi() {
  static const nlpd_host_api api = {sizeof(nlpd_host_api),
                                    NLPD_ABI_VERSION_MAJOR,
                                    NLPD_ABI_VERSION_MINOR,
                                    &ErrorNew,
                                    &ResultWrite,
                                    &Log,
                                    &IsCancelled};
  return &api;
}

const nlpd_host_api* AbiV10HostApi() {
  // is_cancelled is there but beyond struct_size: a plugin that calls it
  // anyway shows up in AnalyzeOutcome::polls.
  static const nlpd_host_api api = {offsetof(nlpd_host_api, is_cancelled),
                                    1,
                                    0,
                                    &ErrorNew,
                                    &ResultWrite,
                                    &Log,
                                    &IsCancelled};
  return &api;
}

const nlpd_plugin_api* LoadPluginApi(const std::string& path,
                                     std::string* error) {
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    *error = dlerror();
    return nullptr;
  }
  auto entry =
      reinterpret_cast<nlpd_plugin_v1_fn>(dlsym(library, "nlpd_plugin_v1"));
  if (entry == nullptr) {
    *error = dlerror();
    return nullptr;
  }
  return entry();
}

PluginInstance::PluginInstance(const nlpd_plugin_api& api,
                               std::string_view config,
                               const std::string& plugin_dir,
                               const nlpd_host_api* host)
    : api_(api) {
  const nlpd_create_args args{sizeof(nlpd_create_args), config.data(),
                              config.size(), plugin_dir.c_str()};
  error_.reset(api_.create(host, &args, &instance_));
}

PluginInstance::~PluginInstance() {
  if (error_ == nullptr) api_.destroy(instance_);
}

AnalyzeOutcome AnalyzeThroughAbi(const nlpd_plugin_api& api,
                                 const PluginInstance& instance,
                                 const nlpd::v1::PluginRequest& request,
                                 int cancel_after_polls) {
  const std::string bytes = request.SerializeAsString();
  const nlpd::v1::Document& document = request.document();
  const nlpd_analyze_input input{sizeof(nlpd_analyze_input),
                                 reinterpret_cast<const uint8_t*>(bytes.data()),
                                 bytes.size(),
                                 document.text().data(),
                                 document.text().size(),
                                 document.language().c_str()};
  nlpd_result_sink sink;
  sink.cancel_after_polls = cancel_after_polls;
  AnalyzeOutcome outcome;
  const absl::Time start = absl::Now();
  outcome.error.reset(api.analyze(instance.get(), &input, &sink));
  outcome.elapsed = absl::Now() - start;
  outcome.result = std::move(sink.bytes);
  outcome.polls = sink.polls;
  return outcome;
}

}  // namespace nlpd::testing
