// Counters and latency histograms of the server's work, for Prometheus:
// requests by method and status code, request latency per method, plugin
// call latency per plugin. Every series name starts with "nlpd_".
#ifndef NLPD_SERVER_RUNTIME_METRICS_H_
#define NLPD_SERVER_RUNTIME_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace nlpd {

class Metrics {
 public:
  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One finished call of `method` ("Analyze", "AnalyzeStream" per document,
  // "ListPlugins", "Admin.ReloadPlugins", ...). Thread-safe.
  void RecordRequest(absl::string_view method, absl::StatusCode code,
                     absl::Duration latency);

  // One call of `plugin` that ended with `code`. Thread-safe.
  void RecordPluginCall(absl::string_view plugin, absl::StatusCode code,
                        absl::Duration latency);

  // Calls being served now (RPCs between start and finish). Thread-safe.
  void CallStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void CallFinished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t calls_in_flight() const {
    return in_flight_.load(std::memory_order_relaxed);
  }

  // Appends the series in the Prometheus text exposition format (with HELP
  // and TYPE lines). Thread-safe.
  void Render(std::string* out) const;

  // Upper bounds (seconds) of the latency histogram buckets.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};

 private:
  struct Histogram {
    // Cumulative only when rendered; here per bucket, last = +Inf.
    std::array<uint64_t, kBuckets.size() + 1> counts{};
    double sum = 0;
    uint64_t count = 0;
    void Add(double seconds);
  };

  // Calls of one kind (RPC methods, plugins): a counter by name and status
  // code, and a latency histogram by name.
  struct CallFamily {
    std::map<std::pair<std::string, std::string>, uint64_t> counts;
    std::map<std::string, Histogram> latency;
    void Add(absl::string_view name, absl::StatusCode code,
             absl::Duration latency);
    // `label` names what the series are by ("method", "plugin").
    void Render(absl::string_view counter, absl::string_view counter_help,
                absl::string_view histogram, absl::string_view histogram_help,
                absl::string_view label, std::string* out) const;
  };

  mutable absl::Mutex mutex_;
  CallFamily requests_ ABSL_GUARDED_BY(mutex_);
  CallFamily plugin_calls_ ABSL_GUARDED_BY(mutex_);
  std::atomic<int64_t> in_flight_{0};
};

// A Prometheus label value, escaped (backslash, quote, newline).
std::string PrometheusLabel(absl::string_view value);

}  // namespace nlpd

#endif  // NLPD_SERVER_RUNTIME_METRICS_H_
