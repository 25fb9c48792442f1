#include "pipeline/analyzer.h"

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "nlpd/v1/plugin.pb.h"
#include "pipeline/target_resolver.h"
#include "runtime/worker_pool.h"
#include "text/language_choice.h"
#include "text/language_id.h"

namespace nlpd {
namespace {

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

// Appends field 1 (document) of nlpd.v1.PluginRequest to `out`: tag and
// length, then the document's bytes. Plugins then get a valid PluginRequest
// by appending their dependency results, without re-serializing the
// document for every plugin.
void AppendDocumentField(const v1::Document& document, std::string* out) {
  constexpr uint8_t kDocumentTag = (1 << 3) | 2;  // field 1, length-delimited
  const size_t size = document.ByteSizeLong();
  constexpr int kMaxVarint32Bytes = 5;
  uint8_t header[1 + kMaxVarint32Bytes];
  header[0] = kDocumentTag;
  uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      static_cast<uint32_t>(size), header + 1);
  out->append(reinterpret_cast<const char*>(header), end - header);
  document.AppendToString(out);
}

// "de, en", or "no language" for an empty list.
std::string LanguageList(const v1::PluginInfo& info) {
  return info.languages().empty() ? "no language"
                                  : absl::StrJoin(info.languages(), ", ");
}

// What the caller can do about a document whose language could not be
// identified.
constexpr absl::string_view kUndetermined =
    "the document's language could not be identified (the text is too short "
    "or unclear); pass language= or default_language=";

// How the document's language was chosen, as the end of a reason, when the
// caller did not choose it and CLD2 was unsure: " (default_language; ...)".
absl::string_view UnsureSuffix(v1::LanguageSource source) {
  switch (source) {
    case v1::LANGUAGE_SOURCE_DEFAULT:
      return " (default_language; the identification was unsure)";
    case v1::LANGUAGE_SOURCE_FALLBACK:
      return " (the most likely language for the requested analyses; the "
             "identification was unsure)";
    default:
      return "";
  }
}

// Why `plugin` cannot run on `document`, given the plugins of this request
// that did not run (`not_run`: name -> why): nullopt when it can. Otherwise
// sets `info`'s outcome (UNSUPPORTED_LANGUAGE or LANGUAGE_UNDETERMINED for
// the plugin's own language, checked first, else DEPENDENCY_NOT_RUN naming
// the first dependency that did not run) and reason, and returns why, as
// the rest of a sentence that starts with the plugin's name ("does not
// support language 'fr' (it supports de, en)", "needs 'entities', which
// ..."), for the plugins that depend on it.
std::optional<std::string> WhyNotRun(
    const Plugin& plugin, const v1::Document& document,
    const std::map<std::string, std::string>& not_run, v1::AnalysisInfo* info) {
  // The plugin's own language first: a plugin that cannot take the document
  // is UNSUPPORTED_LANGUAGE whatever its dependencies did.
  const std::string& language = document.language();
  if (!plugin.SupportsLanguage(language)) {
    const std::string languages = LanguageList(plugin.info());
    if (document.language_source() == v1::LANGUAGE_SOURCE_UNDETERMINED) {
      info->set_outcome(v1::AnalysisInfo::LANGUAGE_UNDETERMINED);
      info->set_reason(absl::StrCat(kUndetermined, " ('", plugin.name(),
                                    "' supports ", languages, ")"));
      return absl::StrCat("could not run: ", kUndetermined);
    }
    info->set_outcome(v1::AnalysisInfo::UNSUPPORTED_LANGUAGE);
    info->set_reason(absl::StrCat("'", plugin.name(), "' supports ", languages,
                                  "; the document's language is '", language,
                                  "'",
                                  UnsureSuffix(document.language_source())));
    return absl::StrCat("does not support language '", language,
                        "' (it supports ", languages, ")");
  }
  for (const std::string& dependency : plugin.info().dependencies()) {
    auto missing = not_run.find(dependency);
    if (missing == not_run.end()) continue;
    // The dependency's own why, which names the root of a chain:
    // "needs 'b', which needs 'a', which does not support ...".
    std::string why =
        absl::StrCat("needs '", dependency, "', which ", missing->second);
    info->set_outcome(v1::AnalysisInfo::DEPENDENCY_NOT_RUN);
    info->set_reason(why);
    return why;
  }
  return std::nullopt;
}

// The languages the planned analyses of one request can run in, for the
// choice of the document's language when CLD2 is unsure. Computed only when
// asked: a long text never asks.
class PlanLanguages final : public text::LanguageSupport {
 public:
  explicit PlanLanguages(const std::vector<PlannedAnalysis>& plan)
      : plan_(plan) {}

  int Runnable(std::string_view language) const override {
    // The plan is in dependency order: a plugin runs when it supports the
    // language and every dependency runs (dependencies are in the plan).
    absl::InlinedVector<bool, 8> runs(plan_.size(), false);
    int requested = 0;
    for (size_t i = 0; i < plan_.size(); ++i) {
      const Plugin& plugin = *plan_[i].entry->plugin;
      bool ok = plugin.SupportsLanguage(language);
      for (const std::string& dependency : plugin.info().dependencies()) {
        if (!ok) break;
        ok = false;
        for (size_t j = 0; j < i; ++j) {
          if (plan_[j].entry->plugin->name() == dependency) {
            ok = runs[j];
            break;
          }
        }
      }
      runs[i] = ok;
      if (ok && plan_[i].requested) ++requested;
    }
    return requested;
  }

  std::span<const std::string> Languages() const override {
    if (!languages_.has_value()) {
      std::vector<std::string>& languages = languages_.emplace();
      for (const PlannedAnalysis& step : plan_) {
        for (const std::string& tag : step.entry->plugin->info().languages()) {
          if (tag == "*") continue;
          const std::string_view subtag = text::PrimarySubtag(tag);
          std::string primary = absl::AsciiStrToLower(
              absl::string_view(subtag.data(), subtag.size()));
          if (std::find(languages.begin(), languages.end(), primary) ==
              languages.end()) {
            languages.push_back(std::move(primary));
          }
        }
      }
    }
    return *languages_;
  }

 private:
  const std::vector<PlannedAnalysis>& plan_;
  mutable std::optional<std::vector<std::string>> languages_;
};

// INVALID_ARGUMENT for a document_view nlpd.v1.DocumentView does not list
// (proto3 keeps unknown enum values as numbers).
absl::Status CheckDocumentView(int view) {
  if (v1::DocumentView_IsValid(view)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "document_view ", view,
      " is not a DocumentView: use DOCUMENT_VIEW_FULL (1), "
      "DOCUMENT_VIEW_NO_TOKENS (2) or DOCUMENT_VIEW_RESULTS_ONLY (3)"));
}

// Leaves in `document` only what `view` sends back. The plugins have had the
// whole document; what is cleared here is never serialized.
void ApplyDocumentView(v1::DocumentView view, v1::Document* document) {
  switch (view) {
    case v1::DOCUMENT_VIEW_UNSPECIFIED:
    case v1::DOCUMENT_VIEW_FULL:
      return;
    case v1::DOCUMENT_VIEW_NO_TOKENS:
      document->clear_tokens();
      for (v1::Sentence& sentence : *document->mutable_sentences()) {
        sentence.clear_token_begin();
        sentence.clear_token_end();
      }
      return;
    case v1::DOCUMENT_VIEW_RESULTS_ONLY:
    default:  // refused by CheckDocumentView before
      document->clear_text();
      document->clear_sentences();
      document->clear_tokens();
      return;
  }
}

}  // namespace

Analyzer::Analyzer(const text::TextPipeline* text_pipeline,
                   const PluginManager* plugins, uint64_t max_text_bytes,
                   Metrics* metrics)
    : text_pipeline_(text_pipeline),
      plugins_(plugins),
      max_text_bytes_(max_text_bytes),
      metrics_(metrics) {}

absl::Status Analyzer::StoreResult(const RegisteredPlugin& entry,
                                   const std::string& bytes,
                                   const DocumentOffsets& offsets,
                                   v1::AnalyzeResponse* response) {
  const Plugin& plugin = *entry.plugin;
  google::protobuf::Message* result = nullptr;
  if (entry.typed_field != nullptr) {
    result =
        response->GetReflection()->MutableMessage(response, entry.typed_field);
  } else {
    // Custom results travel as bytes in an Any; parsing them here proves
    // they are what the plugin declared before a client trips over them.
    result = entry.schema->New(response->GetArena());
  }
  absl::Status status = absl::OkStatus();
  if (!result->ParseFromString(bytes)) {
    status = absl::InternalError(absl::StrCat(
        "plugin '", plugin.name(), "' returned bytes that are not a valid ",
        plugin.info().result_type()));
  } else if (absl::Status spans =
                 entry.schema->checker().Check(*result, offsets);
             !spans.ok()) {
    status = absl::InternalError(
        absl::StrCat("plugin '", plugin.name(),
                     "' returned an invalid span: ", spans.message()));
  }
  if (entry.typed_field == nullptr && response->GetArena() == nullptr) {
    delete result;
  }
  return status;
}

absl::Status Analyzer::CheckCall(const CallContext& call,
                                 absl::string_view next_step) {
  if (call.is_cancelled && call.is_cancelled()) {
    return absl::CancelledError("the call was cancelled");
  }
  if (absl::Now() > call.deadline) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline exceeded before ", next_step));
  }
  return absl::OkStatus();
}

namespace {

// The analyses of `plan` whose results the response leaves out
// (AnalyzeRequest.results): none when the caller names none.
// INVALID_ARGUMENT for a name the plan does not run.
absl::StatusOr<absl::flat_hash_set<std::string>> ResultsLeftOut(
    const v1::AnalyzeRequest& request,
    const std::vector<PlannedAnalysis>& plan) {
  absl::flat_hash_set<std::string> left_out;
  if (request.results().empty()) return left_out;
  absl::flat_hash_set<std::string> runs;
  for (const PlannedAnalysis& step : plan) {
    runs.insert(step.entry->plugin->name());
  }
  left_out = runs;
  for (const std::string& name : request.results()) {
    if (!runs.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("results names '", name,
                       "', which this request does not run: name analyses from "
                       "'analyses' or what they depend on"));
    }
    left_out.erase(name);
  }
  return left_out;
}

}  // namespace

absl::Status Analyzer::Analyze(const v1::AnalyzeRequest& request,
                               const CallContext& call,
                               v1::AnalyzeResponse* response) const {
  if (request.text().size() > max_text_bytes_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "text is ", request.text().size(), " bytes, over the limit of ",
        max_text_bytes_, " bytes (max_text_bytes)"));
  }
  if (absl::Status status = CheckDocumentView(request.document_view());
      !status.ok()) {
    return status;
  }
  // The plugin set this request runs on, whatever reloads happen meanwhile.
  const std::shared_ptr<const PluginRegistry> registry = plugins_->Current();
  absl::StatusOr<std::vector<PlannedAnalysis>> plan =
      registry->Plan(std::vector<std::string>(request.analyses().begin(),
                                              request.analyses().end()));
  if (!plan.ok()) return plan.status();
  absl::StatusOr<absl::flat_hash_set<std::string>> left_out =
      ResultsLeftOut(request, *plan);
  if (!left_out.ok()) return left_out.status();
  if (absl::Status status = CheckCall(call, "the text pipeline");
      !status.ok()) {
    return status;
  }
  // Written in place: on the response's arena, if it has one. The
  // language is chosen for the plan when CLD2 is unsure of it.
  const PlanLanguages plan_languages(*plan);
  const text::LanguageRequest language{
      .language = request.language(),
      .default_language = request.default_language(),
      .support = plan->empty() ? nullptr : &plan_languages};
  if (absl::Status status = text_pipeline_->ProcessInto(
          request.text(), language, response->mutable_document());
      !status.ok()) {
    return status;
  }
  const v1::Document& doc = response->document();
  absl::StatusOr<std::vector<v1::TargetMention>> target_mentions =
      ResolveTargets(request.targets(), doc);
  if (!target_mentions.ok()) return target_mentions.status();

  // The part of every plugin's request that is the same for all: the
  // document and the caller's target mentions, serialized once.
  std::string plugin_request;
  if (!plan->empty()) {
    AppendDocumentField(doc, &plugin_request);
    if (!request.targets().empty()) {
      v1::PluginRequest targets_part;
      *targets_part.mutable_targets() = request.targets();
      for (v1::TargetMention& mention : *target_mentions) {
        *targets_part.add_target_mentions() = std::move(mention);
      }
      targets_part.AppendToString(&plugin_request);
    }
  }
  const size_t document_part = plugin_request.size();
  // Byte to code-point offsets of the text, for the span checks of every
  // plugin's result; built on first use.
  const DocumentOffsets offsets(doc.text());
  // Results so far, for the dependencies of later plugins.
  std::map<std::string, google::protobuf::Any> results;
  // Plugins that did not run, each with why, as the rest of a sentence
  // that starts with its name: "does not support language 'fr' (...)".
  std::map<std::string, std::string> not_run;
  std::vector<std::string> custom;

  for (const PlannedAnalysis& step : *plan) {
    const Plugin& plugin = *step.entry->plugin;
    if (absl::Status status =
            CheckCall(call, absl::StrCat("analysis '", plugin.name(), "'"));
        !status.ok()) {
      return status;
    }
    v1::AnalysisInfo* info = response->add_analyses();
    info->set_name(plugin.name());
    info->set_version(plugin.info().version());
    info->set_dependency(!step.requested);

    if (std::optional<std::string> why = WhyNotRun(plugin, doc, not_run, info);
        why.has_value()) {
      not_run[plugin.name()] = *std::move(why);
      continue;
    }
    v1::PluginRequest dependencies;
    for (const std::string& dependency : plugin.info().dependencies()) {
      (*dependencies.mutable_dependency_results())[dependency] =
          results.at(dependency);
    }

    plugin_request.resize(document_part);
    dependencies.AppendToString(&plugin_request);
    const absl::Time start = absl::Now();
    absl::StatusOr<std::string> result;
    {
      ScopedWorkerActivity activity(plugin.name());
      result =
          plugin.Analyze({plugin_request, doc.text(), &doc.language(), &call});
    }
    const absl::Duration took = absl::Now() - start;
    info->set_duration_us(absl::ToInt64Microseconds(took));
    if (metrics_ != nullptr) {
      metrics_->RecordPluginCall(plugin.name(), result.status().code(), took);
    }
    if (!result.ok()) {
      // A plugin that stopped because the deadline passed says CANCELLED;
      // the caller should see why.
      if (absl::IsCancelled(result.status()) && absl::Now() > call.deadline) {
        return absl::DeadlineExceededError(result.status().message());
      }
      return result.status();
    }
    if (absl::Status stored =
            StoreResult(*step.entry, *result, offsets, response);
        !stored.ok()) {
      return stored;
    }
    info->set_outcome(v1::AnalysisInfo::OK);

    google::protobuf::Any& any = results[plugin.name()];
    any.set_type_url(absl::StrCat(kTypeUrlPrefix, plugin.info().result_type()));
    any.set_value(*std::move(result));
    if (step.entry->typed_field == nullptr) custom.push_back(plugin.name());
  }
  for (const std::string& name : custom) {
    if (left_out->contains(name)) continue;
    (*response->mutable_custom_results())[name] = std::move(results[name]);
  }
  for (const PlannedAnalysis& step : *plan) {
    if (step.entry->typed_field != nullptr &&
        left_out->contains(step.entry->plugin->name())) {
      response->GetReflection()->ClearField(response, step.entry->typed_field);
    }
  }
  // Last: the span checks above used the text.
  ApplyDocumentView(request.document_view(), response->mutable_document());
  return absl::OkStatus();
}

}  // namespace nlpd
