// A host for tests that drive a built plugin through the C ABI alone, the
// way the server does: dlopen, the plugin's table, create, analyze and
// destroy, with a host table of the tests' own. Its is_cancelled answers
// from the call's sink, so a test decides when a call stops being wanted
// and sees how often the plugin asked.
//
// A binary using this must not link the server (nlpd_server), which has its
// own definitions of the opaque ABI types below.
#ifndef NLPD_TESTS_CPP_PLUGIN_ABI_ABI_TEST_HOST_H_
#define NLPD_TESTS_CPP_PLUGIN_ABI_ABI_TEST_HOST_H_

#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "nlpd/plugin.h"
#include "nlpd/v1/plugin.pb.h"

// The host side of the opaque ABI types, as these tests implement them.
struct nlpd_error {
  nlpd_error_code code;
  std::string message;
};
struct nlpd_result_sink {
  // What result_write wrote last.
  std::string bytes;
  // is_cancelled answers 0 to the first `cancel_after_polls` polls of the
  // call and 1 to every later one: 0 cancels from the start.
  int cancel_after_polls = std::numeric_limits<int>::max();
  // How often the plugin called is_cancelled (which gets the sink const).
  mutable int polls = 0;
};

namespace nlpd::testing {

inline constexpr int kNeverCancelled = std::numeric_limits<int>::max();

// Host tables: error_new, result_write (into the sink), log (dropped) and,
// for ABI 1.1, is_cancelled (from the sink, as above). Static; thread-safe
// as long as no two calls share a sink.
const nlpd_host_api* TestHostApi();
// The table of a server built against ABI 1.0: struct_size ends before
// is_cancelled, which a plugin must then not call.
const nlpd_host_api* AbiV10HostApi();

using ErrorPtr = std::unique_ptr<nlpd_error>;

// Opens the plugin file `path` as the server does (RTLD_NOW | RTLD_LOCAL)
// and returns its table, or nullptr with *error set. The library stays
// loaded: protobuf keeps pointers into the descriptors it registered.
const nlpd_plugin_api* LoadPluginApi(const std::string& path,
                                     std::string* error);

// One instance of a plugin: create() when made, destroy() when destroyed.
class PluginInstance {
 public:
  // Creates an instance with `config`, telling the plugin that its file is
  // in `plugin_dir`, and `host` as the host table for all its calls. Check
  // error() before use.
  PluginInstance(const nlpd_plugin_api& api, std::string_view config,
                 const std::string& plugin_dir,
                 const nlpd_host_api* host = TestHostApi());
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  // What create() returned: nullptr on success.
  const nlpd_error* error() const { return error_.get(); }
  nlpd_plugin_instance* get() const { return instance_; }

 private:
  const nlpd_plugin_api& api_;
  nlpd_plugin_instance* instance_ = nullptr;
  ErrorPtr error_;
};

// One analyze() call and what the host saw of it.
struct AnalyzeOutcome {
  ErrorPtr error;      // what analyze() returned: nullptr on success
  std::string result;  // the bytes written through result_write
  int polls = 0;       // how often the plugin called is_cancelled
  absl::Duration elapsed;
};

// Calls api.analyze on `instance` with `request` serialized, the text and
// language shortcuts set from its document, and a sink whose call counts
// as cancelled from poll cancel_after_polls + 1 on.
AnalyzeOutcome AnalyzeThroughAbi(const nlpd_plugin_api& api,
                                 const PluginInstance& instance,
                                 const nlpd::v1::PluginRequest& request,
                                 int cancel_after_polls = kNeverCancelled);

}  // namespace nlpd::testing

#endif  // NLPD_TESTS_CPP_PLUGIN_ABI_ABI_TEST_HOST_H_
