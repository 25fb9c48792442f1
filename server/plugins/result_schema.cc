#include "plugins/result_schema.h"

#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"

namespace nlpd {

absl::StatusOr<std::unique_ptr<const ResultSchema>> ResultSchema::Create(
    const v1::PluginInfo& info) {
  std::unique_ptr<ResultSchema> schema(new ResultSchema());
  const google::protobuf::DescriptorPool* generated =
      google::protobuf::DescriptorPool::generated_pool();
  if (absl::StartsWith(info.result_type(), "nlpd.v1.")) {
    schema->type_ = generated->FindMessageTypeByName(info.result_type());
    if (schema->type_ == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "result_type ", info.result_type(), " is not a type of nlpd.v1"));
    }
    schema->prototype_ =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            schema->type_);
    schema->checker_ = std::make_unique<ResultChecker>(schema->type_);
    return schema;
  }
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromString(info.descriptor_set())) {
    return absl::FailedPreconditionError(
        "descriptor_set is not a serialized FileDescriptorSet");
  }
  schema->pool_ = std::make_unique<google::protobuf::DescriptorPool>(generated);
  std::set<std::string> shipped;
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    shipped.insert(file.name());
    // Files the generated pool already holds (nlpd.v1, well-known types, the
    // files of an in-process plugin) resolve through the underlay; building
    // them again would conflict.
    if (schema->pool_->FindFileByName(file.name()) != nullptr) continue;
    if (schema->pool_->BuildFile(file) == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "descriptor_set: file ", file.name(), " does not build"));
    }
  }
  schema->type_ = schema->pool_->FindMessageTypeByName(info.result_type());
  // Clients decode custom results from the shipped set alone, so the type
  // must be defined there, not merely known to this process.
  if (schema->type_ == nullptr ||
      shipped.count(schema->type_->file()->name()) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("result_type ", info.result_type(),
                     " is not in the plugin's descriptor_set"));
  }
  if (schema->type_->file()->pool() == generated) {
    schema->prototype_ =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            schema->type_);
  } else {
    schema->factory_ =
        std::make_unique<google::protobuf::DynamicMessageFactory>(
            schema->pool_.get());
    schema->prototype_ = schema->factory_->GetPrototype(schema->type_);
  }
  schema->checker_ = std::make_unique<ResultChecker>(schema->type_);
  return schema;
}

}  // namespace nlpd
