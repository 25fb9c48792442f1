"""Client tests that need no server: generated code, errors, descriptor decoding."""

from __future__ import annotations

import importlib.resources
import itertools
from pathlib import Path

import grpc
import pytest
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, json_format
from grpc_tools import protoc

import nlpd
from nlpd import descriptors
from nlpd.client import _request_template, _RequestIterator
from nlpd.errors import from_rpc_error
from nlpd.v1 import document_pb2, nlpd_pb2, nlpd_pb2_grpc, results_pb2

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
TEST_PROTO = "nlpdtest/v1/result.proto"


def test_generated_modules_import() -> None:
    assert nlpd_pb2.AnalyzeRequest.DESCRIPTOR.full_name == "nlpd.v1.AnalyzeRequest"
    assert document_pb2.Span.DESCRIPTOR.fields_by_name["char_end"].number == 4
    assert results_pb2.EntitiesResult.DESCRIPTOR.full_name == "nlpd.v1.EntitiesResult"
    assert hasattr(nlpd_pb2_grpc, "AnalysisServiceStub")
    assert (importlib.resources.files("nlpd") / "py.typed").is_file()


def _shape(fdp: descriptor_pb2.FileDescriptorProto) -> dict[str, list[tuple[str, int, int]]]:
    return {m.name: [(f.name, f.number, f.type) for f in m.field] for m in fdp.message_type}


def test_generated_code_matches_protos() -> None:
    """The installed nlpd.v1 was generated from this checkout's proto/ (not stale)."""
    for mod in (document_pb2, results_pb2, nlpd_pb2):
        installed = descriptor_pb2.FileDescriptorProto()
        mod.DESCRIPTOR.CopyToProto(installed)
        fds = descriptor_pb2.FileDescriptorSet.FromString(
            _compile(REPO / "proto", mod.DESCRIPTOR.name, include_imports=False)
        )
        assert _shape(fds.file[0]) == _shape(installed), (
            f"{mod.DESCRIPTOR.name} changed since the client was installed; reinstall it"
        )


class _FakeRpcError(grpc.RpcError):
    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        self._code, self._details = code, details

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (grpc.StatusCode.INVALID_ARGUMENT, nlpd.InvalidArgumentError),
        (grpc.StatusCode.NOT_FOUND, nlpd.NotFoundError),
        (grpc.StatusCode.FAILED_PRECONDITION, nlpd.FailedPreconditionError),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, nlpd.ResourceExhaustedError),
        (grpc.StatusCode.DEADLINE_EXCEEDED, nlpd.DeadlineExceededError),
        (grpc.StatusCode.UNAVAILABLE, nlpd.UnavailableError),
        (grpc.StatusCode.INTERNAL, nlpd.InternalError),
        (grpc.StatusCode.PERMISSION_DENIED, nlpd.PermissionDeniedError),
        (grpc.StatusCode.UNAUTHENTICATED, nlpd.UnauthenticatedError),
        (grpc.StatusCode.ALREADY_EXISTS, nlpd.AlreadyExistsError),
        (grpc.StatusCode.DATA_LOSS, nlpd.Error),
    ],
)
def test_error_mapping_keeps_code_and_message(code: grpc.StatusCode, cls: type) -> None:
    msg = "text is not valid UTF-8 at byte 3: ‘ü’ expected"
    err = from_rpc_error(_FakeRpcError(code, msg))
    assert type(err) is cls
    assert isinstance(err, nlpd.Error)
    assert err.code is code
    assert err.message == msg
    assert str(err) == msg


def test_unreachable_server_raises_unavailable() -> None:
    with nlpd.Client("127.0.0.1:1", timeout=5) as client:
        with pytest.raises(nlpd.UnavailableError) as info:
            client.analyze("Hallo Welt.")
        assert info.value.code is grpc.StatusCode.UNAVAILABLE
        with pytest.raises(nlpd.UnavailableError):
            client.wait_ready(timeout=0.2)


def test_custom_result_absent_is_lookup_error() -> None:
    with nlpd.Client("127.0.0.1:1") as client:
        with pytest.raises(LookupError, match="'keywords'"):
            client.custom_result(nlpd_pb2.AnalyzeResponse(), "keywords")


def test_custom_result_of_an_nlpd_v1_type_decodes_with_the_generated_class() -> None:
    """Another plugin's EntitiesResult is a custom result; its PluginInfo has no
    descriptor set, so the client decodes it with results_pb2, without ListPlugins (no
    server listens on port 1)."""
    entity = results_pb2.Entity(label="FIRST_WORD", text="Hallo")
    entity.span.char_end = 5
    response = nlpd_pb2.AnalyzeResponse()
    response.custom_results["my_ner"].Pack(results_pb2.EntitiesResult(entities=[entity]))
    response.analyses.add(name="my_ner", version="1.0.0", outcome=nlpd_pb2.AnalysisInfo.OK)
    with nlpd.Client("127.0.0.1:1", timeout=1) as client:
        result = client.custom_result(response, "my_ner")
        assert isinstance(result, results_pb2.EntitiesResult)
        assert list(result.entities) == [entity]
        assert client.to_dict(response)["custom_results"]["my_ner"] == {
            "@type": "type.googleapis.com/nlpd.v1.EntitiesResult",
            "entities": [
                {
                    "span": {"byte_start": 0, "byte_end": 0, "char_start": 0, "char_end": 5},
                    "label": "FIRST_WORD",
                    "confidence": 0.0,
                    "text": "Hallo",
                }
            ],
        }


def test_custom_result_absent_says_why_the_analysis_did_not_run() -> None:
    response = nlpd_pb2.AnalyzeResponse()
    response.document.language = "fr"
    reason = "needs 'entities', which does not support language 'fr' (it supports de, en)"
    response.analyses.add(
        name="my_ner", outcome=nlpd_pb2.AnalysisInfo.DEPENDENCY_NOT_RUN, reason=reason
    )
    # A server older than AnalysisInfo.reason: the outcome and the language.
    response.analyses.add(name="old", outcome=nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE)
    response.entities.SetInParent()
    with nlpd.Client("127.0.0.1:1") as client:
        with pytest.raises(LookupError) as skipped:
            client.custom_result(response, "my_ner")
        assert str(skipped.value).endswith(f"; 'my_ner' was skipped: {reason}")
        with pytest.raises(LookupError, match="it does not support language 'fr'"):
            client.custom_result(response, "old")
        with pytest.raises(LookupError, match=r"a typed field: read response\.entities"):
            client.custom_result(response, "entities")


def test_request_iterator_is_lazy_and_numbers_ids() -> None:
    consumed = 0

    def texts() -> itertools.count:
        nonlocal consumed
        for i in itertools.count():
            consumed += 1
            yield f"text {i}" if i != 2 else ("custom-id", "tupled")

    it = _RequestIterator(texts(), _request_template(["keywords"], "de", None))
    reqs = list(itertools.islice(it, 4))
    assert consumed == 4
    assert [r.id for r in reqs] == ["0", "1", "custom-id", "3"]
    assert reqs[2].request.text == "tupled"
    assert all(r.request.language == "de" and r.request.analyses == ["keywords"] for r in reqs)


def test_request_iterator_rejects_bad_items() -> None:
    it = _RequestIterator([b"bytes"], _request_template([], None, None))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="expected str"):
        next(it)
    assert isinstance(it.error, TypeError)


# -- descriptor decoding -----------------------------------------------------------------


def _compile(root: Path, proto: str, *, include_imports: bool) -> bytes:
    """Compile `proto` under `root` into a serialized FileDescriptorSet."""
    import tempfile

    well_known = importlib.resources.files("grpc_tools") / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.pb"
        args = [
            "protoc",
            f"-I{root}",
            f"-I{REPO / 'proto'}",
            f"-I{well_known}",
            f"--descriptor_set_out={out}",
            proto,
        ]
        if include_imports:
            args.insert(1, "--include_imports")
        assert protoc.main(args) == 0, f"protoc failed on {proto}"
        return out.read_bytes()


@pytest.fixture(scope="module")
def full_set() -> bytes:
    return _compile(DATA, TEST_PROTO, include_imports=True)


def _sample_any(pool: descriptor_pool.DescriptorPool) -> tuple[any_pb2.Any, bytes]:
    cls = descriptors.message_class(pool, "nlpdtest.v1.TestResult")
    msg = cls()
    item = msg.items.add(label="Fernwärme", weight=0.75)
    item.span.byte_start, item.span.byte_end = 4, 15
    item.span.char_start, item.span.char_end = 4, 13
    msg.produced.seconds = 1_700_000_000
    msg.counts["de"] = 3
    packed = any_pb2.Any(
        type_url="type.googleapis.com/nlpdtest.v1.TestResult", value=msg.SerializeToString()
    )
    return packed, msg.SerializeToString()


def test_build_pool_and_decode(full_set: bytes) -> None:
    pool = descriptors.build_pool(full_set)
    packed, raw = _sample_any(pool)
    # Decode with a second, independently built pool, as a client would.
    decoded = descriptors.unpack(packed, descriptors.build_pool(full_set))
    assert decoded.DESCRIPTOR.full_name == "nlpdtest.v1.TestResult"
    assert decoded.items[0].label == "Fernwärme"
    assert decoded.items[0].weight == pytest.approx(0.75)
    assert decoded.items[0].span.char_end == 13
    assert decoded.counts["de"] == 3
    assert decoded.SerializeToString(deterministic=True) == raw
    as_dict = json_format.MessageToDict(decoded, preserving_proto_field_name=True)
    assert as_dict["items"][0]["span"]["byte_end"] == 15
    assert as_dict["produced"] == "2023-11-14T22:13:20Z"


def test_private_pool_does_not_touch_default_pool(full_set: bytes) -> None:
    descriptors.build_pool(full_set)
    with pytest.raises(KeyError):
        descriptor_pool.Default().FindMessageTypeByName("nlpdtest.v1.TestResult")


def test_build_pool_fills_known_imports() -> None:
    """A set without its imports still works: nlpd.v1 and well-known files are known."""
    only_file = _compile(DATA, TEST_PROTO, include_imports=False)
    fds = descriptor_pb2.FileDescriptorSet.FromString(only_file)
    assert [f.name for f in fds.file] == [TEST_PROTO]
    pool = descriptors.build_pool(only_file)
    assert descriptors.message_class(pool, "nlpdtest.v1.Item")().span.char_end == 0


def test_build_pool_any_file_order(full_set: bytes) -> None:
    fds = descriptor_pb2.FileDescriptorSet.FromString(full_set)
    reordered = descriptor_pb2.FileDescriptorSet(file=list(reversed(fds.file)))
    assert reordered.file[0].name == TEST_PROTO
    pool = descriptors.build_pool(reordered.SerializeToString())
    packed, _ = _sample_any(pool)
    assert descriptors.unpack(packed, pool).items[0].label == "Fernwärme"


def test_build_pool_missing_import_is_clear(full_set: bytes) -> None:
    fds = descriptor_pb2.FileDescriptorSet.FromString(full_set)
    fds.file[-1].dependency.append("acme/missing.proto")
    with pytest.raises(ValueError, match="acme/missing.proto"):
        descriptors.build_pool(fds.SerializeToString())


def test_build_pool_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        descriptors.build_pool(b"\xff\xff\xff\xff")


def test_unpack_unknown_type_is_lookup_error(full_set: bytes) -> None:
    pool = descriptors.build_pool(full_set)
    packed = any_pb2.Any(type_url="type.googleapis.com/acme.Unknown", value=b"")
    with pytest.raises(LookupError, match="acme.Unknown"):
        descriptors.unpack(packed, pool)
