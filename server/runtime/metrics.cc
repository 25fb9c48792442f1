#include "runtime/metrics.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nlpd {
namespace {

// The gRPC name of a status code ("OK", "INVALID_ARGUMENT").
std::string CodeName(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  return name;
}

void RenderHistogram(absl::string_view name, absl::string_view label,
                     const std::string& value, const auto& histogram,
                     std::string* out) {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < Metrics::kBuckets.size(); ++i) {
    cumulative += histogram.counts[i];
    absl::StrAppend(out, name, "_bucket{", label, "=\"", PrometheusLabel(value),
                    "\",le=\"", Metrics::kBuckets[i], "\"} ", cumulative, "\n");
  }
  cumulative += histogram.counts.back();
  absl::StrAppend(out, name, "_bucket{", label, "=\"", PrometheusLabel(value),
                  "\",le=\"+Inf\"} ", cumulative, "\n");
  absl::StrAppend(out, name, "_sum{", label, "=\"", PrometheusLabel(value),
                  "\"} ", histogram.sum, "\n");
  absl::StrAppend(out, name, "_count{", label, "=\"", PrometheusLabel(value),
                  "\"} ", histogram.count, "\n");
}

}  // namespace

std::string PrometheusLabel(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void Metrics::Histogram::Add(double seconds) {
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  ++counts[bucket];
  sum += seconds;
  ++count;
}

void Metrics::RecordRequest(absl::string_view method, absl::StatusCode code,
                            absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mutex_);
  ++requests_[{std::string(method), CodeName(code)}];
  request_latency_[std::string(method)].Add(seconds);
}

void Metrics::RecordPluginCall(absl::string_view plugin, absl::StatusCode code,
                               absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mutex_);
  ++plugin_calls_[{std::string(plugin), CodeName(code)}];
  plugin_latency_[std::string(plugin)].Add(seconds);
}

void Metrics::Render(std::string* out) const {
  absl::MutexLock lock(&mutex_);
  absl::StrAppend(out,
                  "# HELP nlpd_requests_total Calls finished, by method and "
                  "gRPC status code.\n# TYPE nlpd_requests_total counter\n");
  for (const auto& [key, count] : requests_) {
    absl::StrAppend(out, "nlpd_requests_total{method=\"",
                    PrometheusLabel(key.first), "\",code=\"", key.second,
                    "\"} ", count, "\n");
  }
  absl::StrAppend(out,
                  "# HELP nlpd_request_duration_seconds Time from a call's "
                  "arrival to its answer, by method.\n"
                  "# TYPE nlpd_request_duration_seconds histogram\n");
  for (const auto& [method, histogram] : request_latency_) {
    RenderHistogram("nlpd_request_duration_seconds", "method", method,
                    histogram, out);
  }
  absl::StrAppend(out,
                  "# HELP nlpd_plugin_calls_total Plugin calls, by plugin and "
                  "status code.\n# TYPE nlpd_plugin_calls_total counter\n");
  for (const auto& [key, count] : plugin_calls_) {
    absl::StrAppend(out, "nlpd_plugin_calls_total{plugin=\"",
                    PrometheusLabel(key.first), "\",code=\"", key.second,
                    "\"} ", count, "\n");
  }
  absl::StrAppend(out,
                  "# HELP nlpd_plugin_duration_seconds Time of one plugin "
                  "call, by plugin.\n"
                  "# TYPE nlpd_plugin_duration_seconds histogram\n");
  for (const auto& [plugin, histogram] : plugin_latency_) {
    RenderHistogram("nlpd_plugin_duration_seconds", "plugin", plugin, histogram,
                    out);
  }
  absl::StrAppend(out,
                  "# HELP nlpd_calls_in_flight Calls being served now.\n"
                  "# TYPE nlpd_calls_in_flight gauge\nnlpd_calls_in_flight ",
                  calls_in_flight(), "\n");
}

}  // namespace nlpd
