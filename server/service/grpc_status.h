// The edge between the server's absl::Status and gRPC's status.
#ifndef NLPD_SERVER_SERVICE_GRPC_STATUS_H_
#define NLPD_SERVER_SERVICE_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace nlpd {

// Same code (absl and gRPC share google.rpc.Code), same message.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_GRPC_STATUS_H_
