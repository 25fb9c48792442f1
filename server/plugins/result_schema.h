// What the server knows about a plugin's result type: its descriptor, found
// in nlpd.v1 or built from the FileDescriptorSet the plugin ships, and a
// factory for messages of it, so that every result can be parsed and
// checked whether the plugin runs in this process or in a child.
#ifndef NLPD_SERVER_PLUGINS_RESULT_SCHEMA_H_
#define NLPD_SERVER_PLUGINS_RESULT_SCHEMA_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "nlpd/v1/nlpd.pb.h"
#include "plugins/result_checker.h"

namespace nlpd {

class ResultSchema {
 public:
  // Resolves info.result_type: a type of the server's own generated pool
  // (nlpd.v1, or a type an in-process plugin registered), else a type of a
  // private pool built from info.descriptor_set. Errors: FAILED_PRECONDITION
  // when the type is not found or the descriptor set does not build; the
  // message says which.
  static absl::StatusOr<std::unique_ptr<const ResultSchema>> Create(
      const v1::PluginInfo& info);

  ResultSchema(const ResultSchema&) = delete;
  ResultSchema& operator=(const ResultSchema&) = delete;

  const google::protobuf::Descriptor* type() const { return type_; }

  // A new, empty message of the result type, owned by `arena`. Thread-safe.
  google::protobuf::Message* New(google::protobuf::Arena* arena) const {
    return prototype_->New(arena);
  }

  // Checks the spans of results of this type. Thread-safe.
  const ResultChecker& checker() const { return *checker_; }

 private:
  ResultSchema() = default;

  // Holds the plugin's own types; null when the type is in the generated
  // pool. Declared before the factory that refers to it.
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::unique_ptr<google::protobuf::DynamicMessageFactory> factory_;
  const google::protobuf::Descriptor* type_ = nullptr;
  const google::protobuf::Message* prototype_ = nullptr;
  // Borrows type_, so declared after pool_.
  std::unique_ptr<const ResultChecker> checker_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_RESULT_SCHEMA_H_
