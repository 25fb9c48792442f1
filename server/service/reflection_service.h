// gRPC server reflection (grpc.reflection.v1 and v1alpha) that describes
// every plugin's result type, wherever the plugin runs. grpc++'s own
// reflection answers only from protobuf's generated pool of this process,
// which holds the types of in-process plugins but not those of isolated or
// Python plugins (they live in another process), so grpcurl could not
// decode their custom results. This one answers from the generated pool
// plus the descriptor sets of the plugins currently loaded
// (PluginInfo.descriptor_set), and follows every load, unload and reload.
#ifndef NLPD_SERVER_SERVICE_REFLECTION_SERVICE_H_
#define NLPD_SERVER_SERVICE_REFLECTION_SERVICE_H_

#include <grpcpp/impl/service_type.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "plugins/plugin_manager.h"
#include "plugins/plugin_registry.h"

namespace nlpd {

// The .proto files reflection describes for one plugin registry: protobuf's
// generated pool of this process (nlpd.v1, the well-known types, the gRPC
// schemas, files of in-process plugins) and, for files it does not hold,
// the descriptor sets of the registry's plugins. A file both hold resolves
// from the generated pool, as ResultSchema resolves it, so reflection
// describes the types the server parses results with. Immutable; every
// method is thread-safe.
class ReflectionSchema {
 public:
  // Builds the plugin files of `registry` into a pool over the generated
  // pool; takes copies, so `registry` need not outlive the schema. A plugin
  // file that does not build (it clashes with another plugin's file, or
  // imports what no set ships) is left out and logged as a warning, with
  // its plugin; lookups of its symbols then say why. Never fails.
  static std::unique_ptr<const ReflectionSchema> Create(
      const PluginRegistry& registry);

  ReflectionSchema(const ReflectionSchema&) = delete;
  ReflectionSchema& operator=(const ReflectionSchema&) = delete;

  // The file named `name` ("nlpd/v1/nlpd.proto") and every file it imports,
  // directly or not, each once, the file first: serialized
  // google.protobuf.FileDescriptorProto messages. Errors: NOT_FOUND naming
  // the file.
  absl::StatusOr<std::vector<std::string>> FileByName(
      absl::string_view name) const;

  // The same for the file that defines `symbol`, a fully qualified name of
  // a service, method, message, field, enum or enum value
  // ("nlpd.keywords.v1.KeywordsResult"). Errors: NOT_FOUND naming the
  // symbol (and why, when a plugin file that would define it did not
  // build).
  absl::StatusOr<std::vector<std::string>> FileContainingSymbol(
      absl::string_view symbol) const;

  // The same for the file that defines extension `number` of message type
  // `containing_type`. Errors: NOT_FOUND naming the type or extension.
  absl::StatusOr<std::vector<std::string>> FileContainingExtension(
      absl::string_view containing_type, int number) const;

  // The field numbers of every known extension of message type `type`, in
  // ascending order (usually none). Errors: NOT_FOUND naming the type.
  absl::StatusOr<std::vector<int>> ExtensionNumbersOf(
      absl::string_view type) const;

 private:
  ReflectionSchema();

  // Over the generated pool; holds the plugin files that built.
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  // Plugin files left out, by name: which plugin shipped them and why they
  // did not build.
  std::map<std::string, std::string> refused_files_;
  // Top-level symbols of the refused files, with the file's name, for
  // clear NOT_FOUND messages.
  std::map<std::string, std::string> refused_symbols_;
};

// The reflection services of the server, v1 and v1alpha, answering from the
// ReflectionSchema of the current plugin registry. Reflection needs no
// token (like health checks): it reveals only the API and result schemas.
class ReflectionService {
 public:
  // Borrows `plugins`, which must outlive the gRPC server the services are
  // registered with. `services` are the full names of the services the
  // server registers, as list_services reports them; include the two
  // reflection services (ServiceNames()).
  ReflectionService(const PluginManager* plugins,
                    std::vector<std::string> services);
  ~ReflectionService();

  ReflectionService(const ReflectionService&) = delete;
  ReflectionService& operator=(const ReflectionService&) = delete;

  // "grpc.reflection.v1.ServerReflection" and
  // "grpc.reflection.v1alpha.ServerReflection".
  static std::vector<std::string> ServiceNames();

  // The services to register with the grpc::ServerBuilder; owned by this.
  grpc::Service* v1() const { return v1_.get(); }
  grpc::Service* v1alpha() const { return v1alpha_.get(); }

  // The schema of the current registry: built on the first call after the
  // registry changed, then shared until it changes again. Each request of a
  // reflection stream takes it anew, so a stream that outlives a reload
  // describes the new plugins. Holds no reference to the registry, so old
  // plugins are released as soon as no request uses them. Thread-safe.
  std::shared_ptr<const ReflectionSchema> CurrentSchema() const;

  const std::vector<std::string>& services() const { return services_; }

 private:
  const PluginManager* const plugins_;
  const std::vector<std::string> services_;
  mutable absl::Mutex mutex_;
  // The registry the cached schema describes (weak: it must not keep old
  // plugins alive), and that schema.
  mutable std::weak_ptr<const PluginRegistry> registry_ ABSL_GUARDED_BY(mutex_);
  mutable std::shared_ptr<const ReflectionSchema> schema_
      ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<grpc::Service> v1_;
  std::unique_ptr<grpc::Service> v1alpha_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_REFLECTION_SERVICE_H_
