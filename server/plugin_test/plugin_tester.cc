#include "plugin_test/plugin_tester.h"

#include <stdlib.h>

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "config/server_config.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "plugins/plugin_probe.h"

namespace nlpd {
namespace {

namespace fs = std::filesystem;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Where in `message` (a dotted field path) the first field that its type
// does not declare is, or "" when there is none. A result with such fields
// was most likely serialized from another message type.
std::string FirstUnknownField(const Message& message, const std::string& path) {
  const Reflection* reflection = message.GetReflection();
  const google::protobuf::UnknownFieldSet& unknown =
      reflection->GetUnknownFields(message);
  if (unknown.field_count() > 0) {
    return absl::StrCat(path.empty() ? "" : path + ": ", "field number ",
                        unknown.field(0).number());
  }
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string field_path =
        path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        std::string found =
            FirstUnknownField(reflection->GetRepeatedMessage(message, field, i),
                              absl::StrCat(field_path, "[", i, "]"));
        if (!found.empty()) return found;
      }
    } else {
      std::string found =
          FirstUnknownField(reflection->GetMessage(message, field), field_path);
      if (!found.empty()) return found;
    }
  }
  return "";
}

std::string Describe(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                      status.message());
}

}  // namespace

absl::StatusOr<std::unique_ptr<PluginTester>> PluginTester::Create(
    PluginTesterOptions options) {
  std::error_code error;
  if (!fs::is_regular_file(options.plugin_file, error)) {
    return absl::NotFoundError(
        absl::StrCat("plugin ", options.plugin_file, ": no such file"));
  }
  options.plugin_file = fs::weakly_canonical(options.plugin_file, error);
  std::unique_ptr<PluginTester> tester(new PluginTester());

  PluginManagerOptions manager;
  manager.directories = options.plugin_dirs;
  manager.files = {options.plugin_file};
  manager.isolation.host_binary = options.host_binary;
  if (IsPythonPluginFile(options.plugin_file)) {
    absl::StatusOr<std::string> python = FindPython(options.python);
    if (!python.ok()) return python.status();
    manager.isolation.python_host_command = {*python, "-m", "nlpd.plugin_host"};
  }
  // What the file is, learned the way the server learns it.
  absl::StatusOr<v1::PluginProbe> probe =
      ProbePluginFile(manager.isolation.HostCommandFor(options.plugin_file),
                      options.plugin_file);
  if (!probe.ok()) return probe.status();
  const std::string name = probe->info().name();
  v1::PluginConfig& config = manager.configs[name];
  config.set_isolation(v1::PROCESS);
  config.set_config(options.config);
  std::string runtime_dir = "/tmp/nlpd-plugin-test-XXXXXX";
  if (mkdtemp(runtime_dir.data()) == nullptr) {
    return absl::InternalError("cannot create a directory under /tmp");
  }
  manager.isolation.runtime_dir = runtime_dir;
  manager.remove_runtime_dir = true;
  tester->plugins_ = std::make_unique<PluginManager>(std::move(manager));
  tester->plugins_->Reload();

  const RegisteredPlugin* entry = tester->plugins_->Current()->Find(name);
  if (entry == nullptr || entry->plugin->info().path() != options.plugin_file) {
    std::vector<std::string> reasons;
    for (const v1::PluginLoadError& load_error :
         tester->plugins_->Current()->load_errors()) {
      if (load_error.path() == options.plugin_file) {
        reasons.push_back(load_error.message());
      }
    }
    return absl::FailedPreconditionError(
        reasons.empty()
            ? absl::StrCat("plugin ", options.plugin_file, " was not loaded")
            : absl::StrJoin(reasons, "; "));
  }
  tester->info_ = entry->plugin->Status();

  // The result type, to decode and print results.
  const std::string& type_name = tester->info_.result_type();
  tester->result_type_ =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          type_name);
  if (tester->result_type_ == nullptr) {
    google::protobuf::FileDescriptorSet set;
    if (!set.ParseFromString(tester->info_.descriptor_set()) ||
        set.file_size() == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("plugin ", options.plugin_file, ": its result type ",
                       type_name, " comes with no usable descriptor set"));
    }
    tester->own_pool_ = std::make_unique<google::protobuf::DescriptorPool>();
    for (const google::protobuf::FileDescriptorProto& file : set.file()) {
      tester->own_pool_->BuildFile(file);
    }
    tester->result_type_ = tester->own_pool_->FindMessageTypeByName(type_name);
    if (tester->result_type_ == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("plugin ", options.plugin_file,
                       ": its descriptor set does not "
                       "define its result type ",
                       type_name));
    }
  }

  absl::StatusOr<std::unique_ptr<text::TextPipeline>> text_pipeline =
      text::TextPipeline::Create();
  if (!text_pipeline.ok()) return text_pipeline.status();
  tester->text_pipeline_ = *std::move(text_pipeline);
  tester->analyzer_ =
      std::make_unique<Analyzer>(tester->text_pipeline_.get(),
                                 tester->plugins_.get(), kDefaultMaxTextBytes);
  tester->options_ = std::move(options);
  return tester;
}

absl::StatusOr<std::string> PluginTester::ResultJson(
    const v1::AnalyzeResponse& response) const {
  const std::string& name = info_.name();
  const Message* result = nullptr;
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<Message> decoded;
  if (auto custom = response.custom_results().find(name);
      custom != response.custom_results().end()) {
    decoded.reset(factory.GetPrototype(result_type_)->New());
    if (!decoded->ParseFromString(custom->second.value())) {
      return absl::InvalidArgumentError(
          absl::StrCat("the result is not a valid ", info_.result_type()));
    }
    result = decoded.get();
  } else {
    // A built-in result type in its AnalyzeResponse field.
    const Descriptor* type = response.GetDescriptor();
    const Reflection* reflection = response.GetReflection();
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (!field->is_repeated() && field->message_type() == result_type_ &&
          reflection->HasField(response, field)) {
        result = &reflection->GetMessage(response, field);
        if (field->name() == name) break;
      }
    }
  }
  if (result == nullptr) {
    return absl::InternalError("the plugin ran but its result is missing");
  }
  if (std::string unknown = FirstUnknownField(*result, ""); !unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the result has a field its type ", info_.result_type(),
                     " does not declare (", unknown,
                     "): are these the bytes of another message type?"));
  }
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  print.add_whitespace = options_.pretty_json;
  std::string json;
  if (auto status =
          google::protobuf::util::MessageToJsonString(*result, &json, print);
      !status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the result: ", status.ToString()));
  }
  if (!json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

TextReport PluginTester::Run(std::string_view text,
                             const std::string& language) const {
  TextReport report;
  v1::AnalyzeRequest request;
  request.set_text(std::string(text));
  request.set_language(language);
  request.add_analyses(info_.name());
  CallContext call;
  call.deadline = absl::Now() + options_.timeout;
  v1::AnalyzeResponse response;
  absl::Status status = analyzer_->Analyze(request, call, &response);
  report.language = response.document().language();
  if (!status.ok()) {
    report.outcome = TextReport::Outcome::kBreach;
    report.message = Describe(status);
    return report;
  }
  for (const v1::AnalysisInfo& analysis : response.analyses()) {
    if (analysis.name() != info_.name()) continue;
    if (analysis.outcome() != v1::AnalysisInfo::OK) {
      report.outcome = TextReport::Outcome::kSkipped;
      report.message = absl::StrCat(
          "not run: ", v1::AnalysisInfo::Outcome_Name(analysis.outcome()));
      return report;
    }
    report.took = absl::Microseconds(analysis.duration_us());
  }
  absl::StatusOr<std::string> json = ResultJson(response);
  if (!json.ok()) {
    report.outcome = TextReport::Outcome::kBreach;
    report.message = std::string(json.status().message());
    return report;
  }
  report.result_json = *std::move(json);
  return report;
}

}  // namespace nlpd
