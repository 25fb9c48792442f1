// nlpd.v1.Admin over gRPC's callback API: list, load, unload and reload
// plugins. The operations probe files and start processes, so they run on
// the server's admin thread (`executor`), never on gRPC's threads, one at a
// time.
#ifndef NLPD_SERVER_SERVICE_ADMIN_SERVICE_H_
#define NLPD_SERVER_SERVICE_ADMIN_SERVICE_H_

#include "nlpd/v1/admin.grpc.pb.h"
#include "plugins/plugin_manager.h"
#include "runtime/worker_pool.h"
#include "service/token_auth.h"

namespace nlpd {

class AdminService final : public v1::Admin::CallbackService {
 public:
  // Borrows everything; all must outlive the gRPC server. `server_info` is
  // reported by ListPlugins.
  // `auth` decides who may call (Role::kAdmin).
  AdminService(PluginManager* plugins, WorkerPool* executor,
               const TokenAuth* auth, v1::ServerInfo server_info);

  grpc::ServerUnaryReactor* ListPlugins(
      grpc::CallbackServerContext* context,
      const v1::ListPluginsRequest* request,
      v1::ListPluginsResponse* response) override;
  grpc::ServerUnaryReactor* LoadPlugin(grpc::CallbackServerContext* context,
                                       const v1::LoadPluginRequest* request,
                                       v1::PluginChanges* response) override;
  grpc::ServerUnaryReactor* UnloadPlugin(grpc::CallbackServerContext* context,
                                         const v1::UnloadPluginRequest* request,
                                         v1::PluginChanges* response) override;
  grpc::ServerUnaryReactor* ReloadPlugins(
      grpc::CallbackServerContext* context,
      const v1::ReloadPluginsRequest* request,
      v1::PluginChanges* response) override;

 private:
  PluginManager* const plugins_;
  WorkerPool* const executor_;
  const TokenAuth* const auth_;
  const v1::ServerInfo server_info_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_ADMIN_SERVICE_H_
