#include "service/admin_service.h"

#include <utility>

#include "absl/functional/any_invocable.h"
#include "service/grpc_status.h"

namespace nlpd {
namespace {

// Runs `operation` on the admin executor and finishes the call with its
// result; RESOURCE_EXHAUSTED when too many admin calls wait.
grpc::ServerUnaryReactor* RunOnExecutor(
    grpc::CallbackServerContext* context, WorkerPool* executor,
    const TokenAuth& auth, v1::PluginChanges* response,
    absl::AnyInvocable<absl::StatusOr<v1::PluginChanges>() &&> operation) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status allowed = auth.Check(*context, Role::kAdmin);
      !allowed.ok()) {
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  const bool queued = executor->TrySubmit(
      [reactor, response, operation = std::move(operation)]() mutable {
        absl::StatusOr<v1::PluginChanges> changes = std::move(operation)();
        if (!changes.ok()) {
          reactor->Finish(ToGrpcStatus(changes.status()));
          return;
        }
        *response = *std::move(changes);
        reactor->Finish(grpc::Status::OK);
      });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "too many admin calls wait; retry later"));
  }
  return reactor;
}

}  // namespace

AdminService::AdminService(PluginManager* plugins, WorkerPool* executor,
                           const TokenAuth* auth, v1::ServerInfo server_info)
    : plugins_(plugins),
      executor_(executor),
      auth_(auth),
      server_info_(std::move(server_info)) {}

grpc::ServerUnaryReactor* AdminService::ListPlugins(
    grpc::CallbackServerContext* context,
    const v1::ListPluginsRequest* /*request*/,
    v1::ListPluginsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status allowed = auth_->Check(*context, Role::kAdmin);
      !allowed.ok()) {
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  *response = plugins_->List();
  *response->mutable_server() = server_info_;
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::LoadPlugin(
    grpc::CallbackServerContext* context, const v1::LoadPluginRequest* request,
    v1::PluginChanges* response) {
  return RunOnExecutor(
      context, executor_, *auth_, response,
      [this, path = request->path()] { return plugins_->Load(path); });
}

grpc::ServerUnaryReactor* AdminService::UnloadPlugin(
    grpc::CallbackServerContext* context,
    const v1::UnloadPluginRequest* request, v1::PluginChanges* response) {
  return RunOnExecutor(
      context, executor_, *auth_, response,
      [this, name = request->name()] { return plugins_->Unload(name); });
}

grpc::ServerUnaryReactor* AdminService::ReloadPlugins(
    grpc::CallbackServerContext* context,
    const v1::ReloadPluginsRequest* /*request*/, v1::PluginChanges* response) {
  return RunOnExecutor(context, executor_, *auth_, response,
                       [this]() -> absl::StatusOr<v1::PluginChanges> {
                         return plugins_->Reload();
                       });
}

}  // namespace nlpd
