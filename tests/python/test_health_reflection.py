"""The standard gRPC health and reflection services."""

from __future__ import annotations

import grpc
from google.protobuf import descriptor_pool
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)


def test_health_serving(channel: grpc.Channel) -> None:
    stub = health_pb2_grpc.HealthStub(channel)
    reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_service(channel: grpc.Channel) -> None:
    db = ProtoReflectionDescriptorDatabase(channel)
    services = set(db.get_services())
    assert "nlpd.v1.AnalysisService" in services, services
    pool = descriptor_pool.DescriptorPool(db)
    method = pool.FindServiceByName("nlpd.v1.AnalysisService").FindMethodByName("Analyze")
    assert method.input_type.full_name == "nlpd.v1.AnalyzeRequest"


def test_reflection_describes_health_service(channel: grpc.Channel) -> None:
    """Reflection lists grpc.health.v1.Health; its schema must resolve too (grpcurl describe)."""
    db = ProtoReflectionDescriptorDatabase(channel)
    assert "grpc.health.v1.Health" in set(db.get_services())
    file = db.FindFileContainingSymbol("grpc.health.v1.Health")
    assert file.package == "grpc.health.v1"
    pool = descriptor_pool.DescriptorPool(db)
    service = pool.FindServiceByName("grpc.health.v1.Health")
    check = service.FindMethodByName("Check")
    assert check.input_type.full_name == "grpc.health.v1.HealthCheckRequest"
    assert check.output_type.full_name == "grpc.health.v1.HealthCheckResponse"
    assert not check.server_streaming
    watch = service.FindMethodByName("Watch")
    assert watch.input_type.full_name == "grpc.health.v1.HealthCheckRequest"
    assert watch.output_type.full_name == "grpc.health.v1.HealthCheckResponse"
    assert watch.server_streaming
    status = check.output_type.fields_by_name["status"].enum_type
    assert {v.name: v.number for v in status.values} == {
        "UNKNOWN": 0,
        "SERVING": 1,
        "NOT_SERVING": 2,
        "SERVICE_UNKNOWN": 3,
    }


def test_reflection_describes_plugin_result_type(channel: grpc.Channel) -> None:
    """DESIGN.md: the plugin's FileDescriptorSet is published through reflection too."""
    pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    desc = pool.FindMessageTypeByName("nlpd.keywords.v1.KeywordsResult")
    assert "keywords" in desc.fields_by_name
