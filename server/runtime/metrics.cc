#include "runtime/metrics.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nlpd {
namespace {

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

void Metrics::CallFamily::Add(absl::string_view name, absl::StatusCode code,
                              absl::Duration duration) {
  ++counts[{std::string(name), absl::StatusCodeToString(code)}];
  latency[std::string(name)].Add(absl::ToDoubleSeconds(duration));
}

void Metrics::CallFamily::Render(absl::string_view counter,
                                 absl::string_view counter_help,
                                 absl::string_view histogram,
                                 absl::string_view histogram_help,
                                 absl::string_view label,
                                 std::string* out) const {
  absl::StrAppend(out, "# HELP ", counter, " ", counter_help, "\n# TYPE ",
                  counter, " counter\n");
  for (const auto& [key, count] : counts) {
    absl::StrAppend(out, counter, "{", label, "=\"", PrometheusLabel(key.first),
                    "\",code=\"", key.second, "\"} ", count, "\n");
  }
  absl::StrAppend(out, "# HELP ", histogram, " ", histogram_help, "\n# TYPE ",
                  histogram, " histogram\n");
  for (const auto& [name, values] : latency) {
    RenderHistogram(histogram, label, name, values, out);
  }
}

void Metrics::RecordRequest(absl::string_view method, absl::StatusCode code,
                            absl::Duration latency) {
  absl::MutexLock lock(&mutex_);
  requests_.Add(method, code, latency);
}

void Metrics::RecordPluginCall(absl::string_view plugin, absl::StatusCode code,
                               absl::Duration latency) {
  absl::MutexLock lock(&mutex_);
  plugin_calls_.Add(plugin, code, latency);
}

void Metrics::Render(std::string* out) const {
  absl::MutexLock lock(&mutex_);
  requests_.Render(
      "nlpd_requests_total", "Calls finished, by method and gRPC status code.",
      "nlpd_request_duration_seconds",
      "Time from a call's arrival to its answer, by method.", "method", out);
  plugin_calls_.Render("nlpd_plugin_calls_total",
                       "Plugin calls, by plugin and status code.",
                       "nlpd_plugin_duration_seconds",
                       "Time of one plugin call, by plugin.", "plugin", out);
  absl::StrAppend(out,
                  "# HELP nlpd_calls_in_flight Calls being served now.\n"
                  "# TYPE nlpd_calls_in_flight gauge\nnlpd_calls_in_flight ",
                  calls_in_flight(), "\n");
}

}  // namespace nlpd
