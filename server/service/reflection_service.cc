#include "service/reflection_service.h"

#include <grpcpp/support/server_callback.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpc/health/v1/health.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace nlpd {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::FileDescriptorSet;
using google::protobuf::Message;

// Collects the errors of one BuildFileCollectingErrors call.
class BuildErrors : public DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& /*filename*/,
                const std::string& element_name, const Message* /*descriptor*/,
                ErrorLocation /*location*/,
                const std::string& message) override {
    errors_.push_back(element_name.empty()
                          ? message
                          : absl::StrCat(element_name, ": ", message));
  }
  std::string Text() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::vector<std::string> errors_;
};

// Drops what differs between copies of one .proto file without changing
// its meaning (comments, the json_name protoc fills in), for comparing
// files shipped by two plugins.
void ClearJsonNames(google::protobuf::DescriptorProto* message) {
  for (auto& field : *message->mutable_field()) field.clear_json_name();
  for (auto& field : *message->mutable_extension()) field.clear_json_name();
  for (auto& nested : *message->mutable_nested_type()) ClearJsonNames(&nested);
}
FileDescriptorProto Normalized(FileDescriptorProto file) {
  file.clear_source_code_info();
  for (auto& message : *file.mutable_message_type()) ClearJsonNames(&message);
  for (auto& field : *file.mutable_extension()) field.clear_json_name();
  return file;
}

// The full names of a file's top-level definitions.
std::vector<std::string> TopLevelSymbols(const FileDescriptorProto& file) {
  const std::string prefix =
      file.package().empty() ? "" : absl::StrCat(file.package(), ".");
  std::vector<std::string> symbols;
  for (const auto& message : file.message_type()) {
    symbols.push_back(prefix + message.name());
  }
  for (const auto& type : file.enum_type()) {
    symbols.push_back(prefix + type.name());
  }
  for (const auto& service : file.service()) {
    symbols.push_back(prefix + service.name());
  }
  for (const auto& extension : file.extension()) {
    symbols.push_back(prefix + extension.name());
  }
  return symbols;
}

// `file` and its transitive imports, each once, file first (depth-first,
// as grpc++'s reflection orders them).
void AppendWithImports(const FileDescriptor* file, std::set<std::string>* seen,
                       std::vector<std::string>* out) {
  if (!seen->insert(file->name()).second) return;
  FileDescriptorProto proto;
  file->CopyTo(&proto);
  out->push_back(proto.SerializeAsString());
  for (int i = 0; i < file->dependency_count(); ++i) {
    AppendWithImports(file->dependency(i), seen, out);
  }
}

std::vector<std::string> WithImports(const FileDescriptor* file) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  AppendWithImports(file, &seen, &out);
  return out;
}

// Builds one plugin's descriptor set into a ReflectionSchema's pool.
class PluginFileBuilder {
 public:
  struct Shipped {
    std::string plugin;
    FileDescriptorProto normalized;
  };

  PluginFileBuilder(DescriptorPool* pool,
                    std::map<std::string, std::string>* refused_files,
                    std::map<std::string, std::string>* refused_symbols,
                    std::map<std::string, Shipped>* shipped)
      : pool_(pool),
        refused_files_(refused_files),
        refused_symbols_(refused_symbols),
        shipped_(shipped) {}

  // Builds every file of `set`, shipped by plugin `plugin`, imports first
  // whatever the order of the set.
  void Build(const std::string& plugin, const FileDescriptorSet& set) {
    plugin_ = plugin;
    files_.clear();
    for (const FileDescriptorProto& file : set.file()) {
      files_.emplace(file.name(), &file);
    }
    for (const FileDescriptorProto& file : set.file()) BuildFile(file.name());
  }

 private:
  void BuildFile(const std::string& name) {
    if (!visited_.insert({plugin_, name}).second) return;
    auto found = files_.find(name);
    if (found == files_.end()) return;  // BuildFile names the missing import
    const FileDescriptorProto& file = *found->second;
    if (pool_->FindFileByName(name) != nullptr) {
      // The generated pool's (nlpd.v1, well-known types, an in-process
      // plugin's) or an earlier plugin's: the first plugin's copy serves.
      auto earlier = shipped_->find(name);
      if (earlier != shipped_->end() &&
          !google::protobuf::util::MessageDifferencer::Equals(
              earlier->second.normalized, Normalized(file))) {
        Log(LogLevel::kWarning, plugin_,
            absl::StrCat("reflection: file ", name,
                         " differs from the copy plugin '",
                         earlier->second.plugin,
                         "' shipped, which reflection describes instead"));
      }
      return;
    }
    if (refused_files_->count(name) > 0) return;
    for (const std::string& import : file.dependency()) BuildFile(import);
    BuildErrors errors;
    if (pool_->BuildFileCollectingErrors(file, &errors) == nullptr) {
      const std::string why =
          absl::StrCat("file ", name, " of plugin '", plugin_,
                       "' does not build: ", errors.Text());
      Log(LogLevel::kWarning, plugin_, absl::StrCat("reflection: ", why));
      refused_files_->emplace(name, why);
      for (const std::string& symbol : TopLevelSymbols(file)) {
        refused_symbols_->emplace(symbol, name);
      }
      return;
    }
    shipped_->emplace(name, Shipped{plugin_, Normalized(file)});
  }

  DescriptorPool* const pool_;
  std::map<std::string, std::string>* const refused_files_;
  std::map<std::string, std::string>* const refused_symbols_;
  std::map<std::string, Shipped>* const shipped_;
  std::string plugin_;
  // The current plugin's files by name.
  std::map<std::string, const FileDescriptorProto*> files_;
  // (plugin, file) pairs handled: stops import cycles.
  std::set<std::pair<std::string, std::string>> visited_;
};

// One reflection request answered from `schema`. Request and Response are
// the v1 or the v1alpha messages, which have the same fields.
template <typename Request, typename Response>
void Answer(const ReflectionSchema& schema,
            const std::vector<std::string>& services, const Request& request,
            Response* response) {
  response->set_valid_host(request.host());
  *response->mutable_original_request() = request;
  absl::StatusOr<std::vector<std::string>> files;
  switch (request.message_request_case()) {
    case Request::kFileByFilename:
      files = schema.FileByName(request.file_by_filename());
      break;
    case Request::kFileContainingSymbol:
      files = schema.FileContainingSymbol(request.file_containing_symbol());
      break;
    case Request::kFileContainingExtension:
      files = schema.FileContainingExtension(
          request.file_containing_extension().containing_type(),
          request.file_containing_extension().extension_number());
      break;
    case Request::kAllExtensionNumbersOfType: {
      absl::StatusOr<std::vector<int>> numbers =
          schema.ExtensionNumbersOf(request.all_extension_numbers_of_type());
      if (numbers.ok()) {
        auto* answer = response->mutable_all_extension_numbers_response();
        answer->set_base_type_name(request.all_extension_numbers_of_type());
        answer->mutable_extension_number()->Add(numbers->begin(),
                                                numbers->end());
        return;
      }
      files = numbers.status();
      break;
    }
    case Request::kListServices: {
      auto* answer = response->mutable_list_services_response();
      for (const std::string& name : services) {
        answer->add_service()->set_name(name);
      }
      return;
    }
    default:
      files = absl::InvalidArgumentError(
          "the reflection request sets none of file_by_filename, "
          "file_containing_symbol, file_containing_extension, "
          "all_extension_numbers_of_type, list_services");
      break;
  }
  if (!files.ok()) {
    auto* error = response->mutable_error_response();
    error->set_error_code(static_cast<int>(files.status().code()));
    error->set_error_message(std::string(files.status().message()));
    return;
  }
  auto* answer = response->mutable_file_descriptor_response();
  for (std::string& file : *files) {
    answer->add_file_descriptor_proto(std::move(file));
  }
}

// One ServerReflectionInfo stream: reads a request, writes its answer,
// reads the next, until the client half-closes or the call ends. Answers
// on gRPC's thread: a lookup in an immutable pool, microseconds (building
// the schema after a reload takes about a millisecond per plugin). Deletes
// itself in OnDone.
template <typename Request, typename Response>
class ReflectionStream final
    : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit ReflectionStream(const ReflectionService* owner) : owner_(owner) {
    this->StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client half-closed, or the call ended
      this->Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    Answer(*owner_->CurrentSchema(), owner_->services(), request_, &response_);
    this->StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // the call ended under us
      this->Finish(grpc::Status::OK);
      return;
    }
    this->StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const ReflectionService* const owner_;
  Request request_;
  Response response_;
};

// grpc.reflection.<version>.ServerReflection.
template <typename Generated, typename Request, typename Response>
class VersionedReflection final : public Generated::CallbackService {
 public:
  explicit VersionedReflection(const ReflectionService* owner)
      : owner_(owner) {}

  grpc::ServerBidiReactor<Request, Response>* ServerReflectionInfo(
      grpc::CallbackServerContext* /*context*/) override {
    return new ReflectionStream<Request, Response>(owner_);
  }

 private:
  const ReflectionService* const owner_;
};

namespace reflection_v1 = ::grpc::reflection::v1;
namespace reflection_v1alpha = ::grpc::reflection::v1alpha;
using ReflectionV1 =
    VersionedReflection<reflection_v1::ServerReflection,
                        reflection_v1::ServerReflectionRequest,
                        reflection_v1::ServerReflectionResponse>;
using ReflectionV1Alpha =
    VersionedReflection<reflection_v1alpha::ServerReflection,
                        reflection_v1alpha::ServerReflectionRequest,
                        reflection_v1alpha::ServerReflectionResponse>;

}  // namespace

ReflectionSchema::ReflectionSchema()
    : pool_(
          std::make_unique<DescriptorPool>(DescriptorPool::generated_pool())) {
  // grpc++'s health service does not register its schema with protobuf;
  // ours (proto/grpc/health/v1/health.proto) does, once this reference has
  // the linker keep it, so that reflection can describe the service.
  static_cast<void>(::grpc::health::v1::HealthCheckRequest::descriptor());
}

std::unique_ptr<const ReflectionSchema> ReflectionSchema::Create(
    const PluginRegistry& registry) {
  std::unique_ptr<ReflectionSchema> schema(new ReflectionSchema());
  std::map<std::string, PluginFileBuilder::Shipped> shipped;
  PluginFileBuilder builder(schema->pool_.get(), &schema->refused_files_,
                            &schema->refused_symbols_, &shipped);
  for (const RegisteredPlugin& entry : registry.plugins()) {
    const v1::PluginInfo& info = entry.plugin->info();
    if (info.descriptor_set().empty()) continue;
    FileDescriptorSet set;
    // ResultSchema parsed it when the plugin was loaded.
    if (!set.ParseFromString(info.descriptor_set())) continue;
    builder.Build(info.name(), set);
  }
  return schema;
}

absl::StatusOr<std::vector<std::string>> ReflectionSchema::FileByName(
    absl::string_view name) const {
  const FileDescriptor* file = pool_->FindFileByName(std::string(name));
  if (file == nullptr) {
    auto refused = refused_files_.find(std::string(name));
    if (refused != refused_files_.end()) {
      return absl::NotFoundError(refused->second);
    }
    return absl::NotFoundError(
        absl::StrCat("no file named \"", name, "\" on this server"));
  }
  return WithImports(file);
}

absl::StatusOr<std::vector<std::string>> ReflectionSchema::FileContainingSymbol(
    absl::string_view symbol) const {
  const FileDescriptor* file =
      pool_->FindFileContainingSymbol(std::string(symbol));
  if (file == nullptr) {
    // A nested symbol ("pkg.Message.field") of a refused file: find the
    // top-level symbol it starts with.
    for (absl::string_view prefix = symbol; !prefix.empty();) {
      auto refused = refused_symbols_.find(std::string(prefix));
      if (refused != refused_symbols_.end()) {
        return absl::NotFoundError(
            absl::StrCat("symbol ", symbol,
                         " not found: ", refused_files_.at(refused->second)));
      }
      size_t dot = prefix.rfind('.');
      prefix = dot == absl::string_view::npos ? "" : prefix.substr(0, dot);
    }
    return absl::NotFoundError(absl::StrCat(
        "symbol ", symbol,
        " not found: no service, message, enum or field of that name in the "
        "server's API or the loaded plugins' result types"));
  }
  return WithImports(file);
}

absl::StatusOr<std::vector<std::string>>
ReflectionSchema::FileContainingExtension(absl::string_view containing_type,
                                          int number) const {
  const Descriptor* type =
      pool_->FindMessageTypeByName(std::string(containing_type));
  if (type == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("message type ", containing_type, " not found"));
  }
  const FieldDescriptor* extension = pool_->FindExtensionByNumber(type, number);
  if (extension == nullptr) {
    return absl::NotFoundError(absl::StrCat("message type ", containing_type,
                                            " has no extension ", number));
  }
  return WithImports(extension->file());
}

absl::StatusOr<std::vector<int>> ReflectionSchema::ExtensionNumbersOf(
    absl::string_view type_name) const {
  const Descriptor* type = pool_->FindMessageTypeByName(std::string(type_name));
  if (type == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("message type ", type_name, " not found"));
  }
  std::vector<const FieldDescriptor*> extensions;
  pool_->FindAllExtensions(type, &extensions);
  std::vector<int> numbers;
  numbers.reserve(extensions.size());
  for (const FieldDescriptor* extension : extensions) {
    numbers.push_back(extension->number());
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

ReflectionService::ReflectionService(const PluginManager* plugins,
                                     std::vector<std::string> services)
    : plugins_(plugins),
      services_(std::move(services)),
      v1_(std::make_unique<ReflectionV1>(this)),
      v1alpha_(std::make_unique<ReflectionV1Alpha>(this)) {}

ReflectionService::~ReflectionService() = default;

std::vector<std::string> ReflectionService::ServiceNames() {
  return {
      std::string(reflection_v1::ServerReflection::service_full_name()),
      std::string(reflection_v1alpha::ServerReflection::service_full_name())};
}

std::shared_ptr<const ReflectionSchema> ReflectionService::CurrentSchema()
    const {
  std::shared_ptr<const PluginRegistry> registry = plugins_->Current();
  absl::MutexLock lock(&mutex_);
  // Same control block: the same registry (a weak_ptr keeps the block, so
  // no later registry can have it).
  const bool same =
      !registry_.owner_before(registry) && !registry.owner_before(registry_);
  if (schema_ == nullptr || !same) {
    schema_ = ReflectionSchema::Create(*registry);
    registry_ = registry;
  }
  return schema_;
}

}  // namespace nlpd
