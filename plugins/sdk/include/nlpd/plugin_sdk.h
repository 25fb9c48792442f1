// Header-only C++ SDK over the C plugin ABI (nlpd/plugin.h): a plugin is one
// class plus one macro line.
//
//   class ShoutPlugin {
//    public:
//     using Result = my::v1::ShoutResult;            // the result message
//     static nlpd::sdk::PluginInfo Info() {          // what the plugin is
//       return {.name = "shout", .version = "1.0.0",
//               .description = "Upper-cases the text", .languages = {"*"}};
//     }
//     static absl::StatusOr<std::unique_ptr<ShoutPlugin>> Create(
//         const nlpd::sdk::CreateContext& context);  // once, at load
//     absl::StatusOr<Result> Analyze(                // per document
//         const nlpd::v1::PluginRequest& request,
//         const nlpd::sdk::Call& call) const;         // (call is optional)
//   };
//   NLPD_PLUGIN(ShoutPlugin)
//
// A plugin whose Analyze takes the Call checks call.Cancelled() in its loops
// (once per sentence, say) and returns call.CancelledError() when it is
// true, so that a call's deadline reaches into the plugin; the SDK then sets
// the descriptor's checks_cancellation flag.
//
// The SDK decodes the request, encodes the result, ships the FileDescriptorSet
// of Result's .proto file, and turns absl::Status errors and escaping C++
// exceptions into nlpd_error objects, so nothing C++ crosses the boundary.
//
// Spans in results: nlpd/span.h (included) turns byte offsets into
// nlpd.v1.Span with code-point offsets (SpanMaker, MakeSpan).
//
// Thread safety: Analyze is const and, unless PluginInfo::thread_safe is set
// to false, is called concurrently from the server's worker threads.
#ifndef NLPD_PLUGIN_SDK_H_
#define NLPD_PLUGIN_SDK_H_

#include <google/protobuf/arena.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlpd/language.h"
#include "nlpd/plugin.h"
#include "nlpd/span.h"
#include "nlpd/v1/plugin.pb.h"

namespace nlpd::sdk {

// What a plugin is; see nlpd_plugin_descriptor for each field's meaning.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> languages = {"*"};
  std::vector<std::string> dependencies;
  bool thread_safe = true;
};

// Logs through the server, tagged with the plugin's name. Cheap to copy;
// valid until the plugin instance is destroyed. Thread-safe.
class Logger {
 public:
  explicit Logger(const nlpd_host_api* host) : host_(host) {}
  void Info(const std::string& message) const { Log(NLPD_LOG_INFO, message); }
  void Warning(const std::string& message) const {
    Log(NLPD_LOG_WARNING, message);
  }
  void Error(const std::string& message) const { Log(NLPD_LOG_ERROR, message); }

 private:
  void Log(nlpd_log_level level, const std::string& message) const {
    if (host_ != nullptr && host_->log != nullptr) {
      host_->log(level, message.c_str());
    }
  }
  const nlpd_host_api* host_;
};

// What Create() gets: the plugin's configuration and where its files are.
struct CreateContext {
  // ServerConfig.plugins[name].config, verbatim; empty when none was given.
  std::string_view config;
  // Directory of the plugin's shared library (for model files).
  std::string plugin_dir;
  Logger logger;
};

// The analyze() call a plugin is working on, as far as the plugin needs to
// know it. Valid only during that call. Thread-compatible.
class Call {
 public:
  Call(const nlpd_host_api* host, const nlpd_result_sink* sink)
      : host_(host), sink_(sink) {}

  // True once the server no longer wants the result: the caller's deadline
  // passed, the caller cancelled, or the server is stopping the call. Costs
  // a clock read and an atomic load; always false on servers older than
  // ABI 1.1.
  bool Cancelled() const {
    return host_ != nullptr &&
           NLPD_HAS_FIELD(nlpd_host_api, host_, is_cancelled) &&
           host_->is_cancelled != nullptr && host_->is_cancelled(sink_) != 0;
  }

  // The status to return once Cancelled() is true.
  static absl::Status CancelledError() {
    return absl::CancelledError("the call is no longer wanted; stopped early");
  }

 private:
  const nlpd_host_api* host_;
  const nlpd_result_sink* sink_;
};

// Returns the result of dependency `name` in `request`, decoded as Message.
// NOT_FOUND when the server did not pass it, INVALID_ARGUMENT when it holds
// another type.
template <typename Message>
absl::StatusOr<Message> DependencyResult(const v1::PluginRequest& request,
                                         const std::string& name) {
  auto found = request.dependency_results().find(name);
  if (found == request.dependency_results().end()) {
    return absl::NotFoundError("dependency result '" + name + "' missing");
  }
  Message message;
  if (!found->second.UnpackTo(&message)) {
    return absl::InvalidArgumentError("dependency result '" + name +
                                      "' is not a " +
                                      Message::descriptor()->full_name());
  }
  return message;
}

namespace internal {

// Serializes the FileDescriptorSet of `file` and everything it imports,
// dependencies first, as clients need to rebuild the types.
inline std::string DescriptorSetOf(
    const google::protobuf::FileDescriptor* file) {
  google::protobuf::FileDescriptorSet set;
  std::unordered_set<std::string> added;
  std::vector<std::pair<const google::protobuf::FileDescriptor*, bool>> stack =
      {{file, false}};
  while (!stack.empty()) {
    auto [current, expanded] = stack.back();
    stack.pop_back();
    if (added.count(current->name()) != 0) continue;
    if (expanded) {
      added.insert(current->name());
      current->CopyTo(set.add_file());
      continue;
    }
    stack.emplace_back(current, true);
    for (int i = current->dependency_count() - 1; i >= 0; --i) {
      stack.emplace_back(current->dependency(i), false);
    }
  }
  return set.SerializeAsString();
}

inline nlpd_error_code ErrorCodeOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return NLPD_ERROR_INVALID_ARGUMENT;
    case absl::StatusCode::kNotFound:
      return NLPD_ERROR_NOT_FOUND;
    case absl::StatusCode::kFailedPrecondition:
      return NLPD_ERROR_FAILED_PRECONDITION;
    case absl::StatusCode::kUnimplemented:
      return NLPD_ERROR_UNIMPLEMENTED;
    case absl::StatusCode::kUnavailable:
      return NLPD_ERROR_UNAVAILABLE;
    case absl::StatusCode::kCancelled:
      return NLPD_ERROR_CANCELLED;
    default:
      return NLPD_ERROR_INTERNAL;
  }
}

// Owns the descriptor's strings and arrays for the library's lifetime.
struct DescriptorStorage {
  PluginInfo info;
  std::string result_type;
  std::string descriptor_set;
  std::vector<const char*> languages;
  std::vector<const char*> dependencies;
  nlpd_plugin_descriptor descriptor{};
};

template <typename Plugin>
struct Instance {
  const nlpd_host_api* host;
  std::unique_ptr<Plugin> plugin;
};

// True when Plugin::Analyze takes the Call as its second argument.
template <typename Plugin>
constexpr bool kTakesCall = requires(const Plugin& plugin,
                                     const v1::PluginRequest& request,
                                     const Call& call) {
  plugin.Analyze(request, call);
};

template <typename Plugin>
class Adapter {
 public:
  static const nlpd_plugin_api* Api() {
    static const nlpd_plugin_api api = {sizeof(nlpd_plugin_api),
                                        NLPD_ABI_VERSION_MAJOR,
                                        NLPD_ABI_VERSION_MINOR,
                                        &Descriptor(),
                                        &Create,
                                        &Analyze,
                                        &Destroy};
    return &api;
  }

 private:
  using Result = typename Plugin::Result;

  static const nlpd_plugin_descriptor& Descriptor() {
    // Leaked on purpose: the descriptor must outlive every caller, including
    // static destructors that run at unload.
    static DescriptorStorage* storage = [] {
      auto* s = new DescriptorStorage;
      s->info = Plugin::Info();
      const google::protobuf::Descriptor* type = Result::descriptor();
      s->result_type = type->full_name();
      if (type->file()->package() != "nlpd.v1") {
        s->descriptor_set = DescriptorSetOf(type->file());
      }
      for (const std::string& language : s->info.languages) {
        s->languages.push_back(language.c_str());
      }
      for (const std::string& dependency : s->info.dependencies) {
        s->dependencies.push_back(dependency.c_str());
      }
      nlpd_plugin_descriptor& d = s->descriptor;
      d.struct_size = sizeof(nlpd_plugin_descriptor);
      d.name = s->info.name.c_str();
      d.version = s->info.version.c_str();
      d.description = s->info.description.c_str();
      d.languages = s->languages.data();
      d.language_count = s->languages.size();
      d.dependencies = s->dependencies.data();
      d.dependency_count = s->dependencies.size();
      d.result_type = s->result_type.c_str();
      d.descriptor_set =
          reinterpret_cast<const uint8_t*>(s->descriptor_set.data());
      d.descriptor_set_size = s->descriptor_set.size();
      d.thread_safe = s->info.thread_safe ? 1 : 0;
      d.checks_cancellation = kTakesCall<Plugin> ? 1 : 0;
      return s;
    }();
    return storage->descriptor;
  }

  static nlpd_error* ToError(const nlpd_host_api* host,
                             const absl::Status& status) {
    return host->error_new(ErrorCodeOf(status.code()),
                           std::string(status.message()).c_str());
  }

  static nlpd_error* Create(const nlpd_host_api* host,
                            const nlpd_create_args* args,
                            nlpd_plugin_instance** instance) {
    try {
      CreateContext context{std::string_view(args->config, args->config_size),
                            args->plugin_dir != nullptr ? args->plugin_dir : "",
                            Logger(host)};
      absl::StatusOr<std::unique_ptr<Plugin>> plugin = Plugin::Create(context);
      if (!plugin.ok()) return ToError(host, plugin.status());
      *instance = reinterpret_cast<nlpd_plugin_instance*>(
          new Instance<Plugin>{host, *std::move(plugin)});
      return nullptr;
    } catch (const std::exception& e) {
      return host->error_new(NLPD_ERROR_INTERNAL, e.what());
    } catch (...) {
      return host->error_new(NLPD_ERROR_INTERNAL, "unknown exception");
    }
  }

  static nlpd_error* Analyze(nlpd_plugin_instance* opaque,
                             const nlpd_analyze_input* input,
                             nlpd_result_sink* sink) {
    auto* instance = reinterpret_cast<Instance<Plugin>*>(opaque);
    const nlpd_host_api* host = instance->host;
    try {
      // The document's thousands of token messages come from one arena and
      // are freed at once.
      google::protobuf::Arena arena;
      auto* request =
          google::protobuf::Arena::CreateMessage<v1::PluginRequest>(&arena);
      if (!request->ParseFromArray(input->request,
                                   static_cast<int>(input->request_size))) {
        return host->error_new(NLPD_ERROR_INVALID_ARGUMENT,
                               "cannot parse nlpd.v1.PluginRequest");
      }
      absl::StatusOr<Result> result = [&] {
        if constexpr (kTakesCall<Plugin>) {
          return instance->plugin->Analyze(*request, Call(host, sink));
        } else {
          return instance->plugin->Analyze(*request);
        }
      }();
      if (!result.ok()) return ToError(host, result.status());
      const std::string bytes = result->SerializeAsString();
      return host->result_write(
          sink, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } catch (const std::exception& e) {
      return host->error_new(NLPD_ERROR_INTERNAL, e.what());
    } catch (...) {
      return host->error_new(NLPD_ERROR_INTERNAL, "unknown exception");
    }
  }

  static void Destroy(nlpd_plugin_instance* opaque) {
    delete reinterpret_cast<Instance<Plugin>*>(opaque);
  }
};

}  // namespace internal
}  // namespace nlpd::sdk

// Exports the plugin class `PluginClass` as an ABI v1 plugin. Use once per
// shared library, at namespace scope.
#define NLPD_PLUGIN(PluginClass)                                   \
  extern "C" NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1() { \
    return ::nlpd::sdk::internal::Adapter<PluginClass>::Api();     \
  }

#endif  // NLPD_PLUGIN_SDK_H_
