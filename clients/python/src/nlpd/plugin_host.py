"""The host of a Python plugin: ``python -m nlpd.plugin_host``.

It is the Python counterpart of the C++ ``nlpd-plugin-host``, with the same command line
and the same protocol (``nlpd.v1.PluginHost`` in ``proto/nlpd/v1/plugin_host.proto``),
so the server treats both alike::

    python -m nlpd.plugin_host --probe --plugin=FILE.py
        Loads FILE.py, writes one serialized nlpd.v1.PluginProbe to stdout (nothing
        else) and exits 0. A refused file gives PluginProbe.error =
        "plugin FILE.py: <why>", still exit 0; exit 1 only when stdout cannot be
        written. registered_files stays empty (Python plugins share no C++ pool).

    python -m nlpd.plugin_host --plugin=FILE.py --socket=PATH
        Dies with its parent (PR_SET_PDEATHSIG = SIGKILL; exits 1 at once when already
        orphaned), loads FILE.py, serves nlpd.v1.PluginHost on unix:PATH, and writes
        exactly one line to stdout: "ready" once it listens, or
        "error: plugin FILE.py: <why>" (then exit 1). After that line the stdout pipe
        is closed.

    Missing --plugin, or neither --socket nor --probe: usage message, exit 2.

Output discipline: from the start, file descriptor 1 and ``sys.stdout`` point to stderr;
the protocol (probe bytes, the ready/error line) goes to a private duplicate of the
original stdout. So a plugin's ``print`` or a C extension's ``printf`` -- at import or
later -- lands in the log, never in the answer, and can never block on the server's
pipe. Logging goes to stderr as ``<UTC time> <LEVEL> <plugin name>: <message>``.

Service: ``Start`` creates the plugin instance and calls its ``setup(config)``
(FAILED_PRECONDITION when that raises, or when Start was already called) and returns the
PluginInfo and the pid. ``Analyze`` before Start is FAILED_PRECONDITION. ``Analyze``
returns the plugin's result, or its error in ``HostAnalyzeResponse.error`` (code and
"plugin '<name>': <message>", as the C++ host does): a non-OK gRPC status always means a
transport failure. Calls run on a thread pool, concurrently unless the plugin says
``thread_safe = False``. Message sizes are unlimited.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import importlib.util
import inspect
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import cast

import grpc
from google.protobuf import (
    any_pb2,
    descriptor,
    descriptor_pb2,
    descriptor_pool,
    message,
    message_factory,
)

from nlpd import plugin as plugin_api
from nlpd.v1 import (
    document_pb2,
    nlpd_pb2,
    plugin_host_pb2,
    plugin_host_pb2_grpc,
    plugin_pb2,
    results_pb2,
)

__all__ = ["ABI_VERSION", "LoadedPlugin", "PluginLoadError", "PluginRunner", "load", "main"]

#: What PluginInfo.abi_version says for a Python plugin: the plugin ABI level (see
#: plugins/sdk/include/nlpd/plugin.h) whose semantics this host gives the server -- the
#: same descriptor fields and error codes as a C++ plugin of ABI 1.1, without
#: cancellation polling (checks_cancellation is false).
ABI_VERSION = "1.1"

# What the C++ loader accepts as a plugin name (server/plugins/plugin_loader.cc).
_NAME = re.compile(r"[a-z0-9_]+")
_INTERNAL = grpc.StatusCode.INTERNAL.value[0]
_INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT.value[0]
_PR_SET_PDEATHSIG = 1
# Imported for their side effect: the built-in result types are in the default pool, so
# dependency results of those types are decoded.
_BUILT_IN_MODULES = (document_pb2, nlpd_pb2, plugin_pb2, results_pb2)

_log = logging.getLogger("nlpd.plugin_host")


class PluginLoadError(Exception):
    """The plugin file is refused; ``str()`` says why (without the file's path)."""


@dataclass(frozen=True)
class LoadedPlugin:
    """A plugin file that loaded and passed validation."""

    #: The plugin class (the one subclass of nlpd.plugin.Plugin in the file).
    cls: type[plugin_api.Plugin]
    #: What the plugin is, filled as the C++ loader fills it for a library.
    info: nlpd_pb2.PluginInfo
    #: The directory of the plugin file, to attribute exceptions to plugin code.
    directory: str


def _location(tb: TracebackType | None, directory: str) -> str:
    """``"file.py:line"`` of the innermost frame in ``directory``, else the innermost."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return ""
    inside = [f for f in frames if os.path.dirname(os.path.abspath(f.filename)) == directory]
    frame = (inside or frames)[-1]
    return f"{os.path.basename(frame.filename)}:{frame.lineno}"


def describe_exception(error: BaseException, directory: str) -> str:
    """``"ExceptionType: message (file.py:line)"``, on one line.

    The location is the innermost traceback frame in the plugin's directory (the plugin
    file or a module next to it), else the innermost frame. A SyntaxError names the file
    and line of the bad source instead.
    """
    if isinstance(error, SyntaxError):
        where = f"{os.path.basename(error.filename or '?')}:{error.lineno}"
        text = error.msg
    else:
        where = _location(error.__traceback__, directory)
        text = str(error)
    line = f"{type(error).__name__}: {text}" if text else type(error).__name__
    if where:
        line += f" ({where})"
    return " ".join(line.split("\n"))


def _import_file(path: str) -> ModuleType:
    """Imports ``path`` as a uniquely named module, its directory first on sys.path."""
    directory = os.path.dirname(path)
    stem = Path(path).stem
    digest = hashlib.sha256(path.encode()).hexdigest()[:8]
    module_name = f"_nlpd_plugin_{re.sub(r'[^0-9A-Za-z_]', '_', stem)}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise PluginLoadError("not a Python source file (.py)")
    module = importlib.util.module_from_spec(spec)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as error:  # noqa: BLE001 - any failure refuses the file
        del sys.modules[module_name]
        why = f"cannot import: {describe_exception(error, directory)}"
        if isinstance(error, ModuleNotFoundError) and f"'{stem}' is not a package" in str(error):
            why += (
                f"; the plugin file {stem}.py shadows the package directory {stem}/ next"
                f" to it: rename the file (e.g. {stem}_plugin.py)"
            )
        raise PluginLoadError(why) from error
    return module


def _plugin_class(module: ModuleType) -> type[plugin_api.Plugin]:
    """The one subclass of Plugin defined in ``module``."""
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, plugin_api.Plugin)
        and value is not plugin_api.Plugin
        and value.__module__ == module.__name__
    ]
    if not classes:
        raise PluginLoadError("defines no subclass of nlpd.plugin.Plugin")
    if len(classes) > 1:
        names = ", ".join(sorted(c.__name__ for c in classes))
        raise PluginLoadError(
            f"defines {len(classes)} subclasses of nlpd.plugin.Plugin ({names}); "
            "a plugin file must define exactly one"
        )
    return classes[0]


def _string_list(cls: type[plugin_api.Plugin], attribute: str) -> list[str]:
    where = f"class {cls.__name__}: {attribute}"
    value: object = getattr(cls, attribute)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise PluginLoadError(f"{where} must be a list of strings, not {value!r}")
    for item in value:
        if not isinstance(item, str) or not item:
            raise PluginLoadError(f"{where} must hold non-empty strings, not {item!r}")
    return list(value)


def _descriptor_set(file: descriptor.FileDescriptor) -> bytes:
    """The FileDescriptorSet of ``file`` and everything it imports, dependencies first.

    Mirrors DescriptorSetOf in plugins/sdk/include/nlpd/plugin_sdk.h.
    """
    result = descriptor_pb2.FileDescriptorSet()
    added: set[str] = set()

    def add(current: descriptor.FileDescriptor) -> None:
        if current.name in added:
            return
        added.add(current.name)
        for dependency in current.dependencies:
            add(dependency)
        current.CopyToProto(result.file.add())

    add(file)
    return result.SerializeToString()


def _info_of(cls: type[plugin_api.Plugin], path: str) -> nlpd_pb2.PluginInfo:
    """Validates the class attributes and returns the PluginInfo the server expects."""
    where = f"class {cls.__name__}"
    name: object = getattr(cls, "name", None)
    if name is None:
        raise PluginLoadError(f"{where} has no class attribute 'name'")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise PluginLoadError(f"{where}: invalid plugin name {name!r}: use [a-z0-9_]+")
    version: object = getattr(cls, "version", None)
    if version is None:
        raise PluginLoadError(f"{where} has no class attribute 'version'")
    if not isinstance(version, str) or not version:
        raise PluginLoadError(f"{where}: version must be a non-empty string, not {version!r}")
    result_type: object = getattr(cls, "result_type", None)
    if result_type is None:
        raise PluginLoadError(f"{where} has no class attribute 'result_type'")
    if not isinstance(result_type, type) or not issubclass(result_type, message.Message):
        raise PluginLoadError(
            f"{where}: result_type must be a protobuf message class "
            f"(e.g. nlpd.v1.results_pb2.EntitiesResult), not {result_type!r}"
        )
    type_descriptor = getattr(result_type, "DESCRIPTOR", None)
    if not isinstance(type_descriptor, descriptor.Descriptor):
        raise PluginLoadError(
            f"{where}: result_type {result_type!r} is an abstract message class; "
            "use a generated one"
        )
    languages = _string_list(cls, "languages")
    if not languages:
        raise PluginLoadError(f'{where}: languages is empty (use ["*"] for any)')
    dependencies = _string_list(cls, "dependencies")
    description: object = cls.description
    if description is not None and not isinstance(description, str):
        raise PluginLoadError(f"{where}: description must be a string, not {description!r}")
    if not isinstance(cls.thread_safe, bool):
        raise PluginLoadError(f"{where}: thread_safe must be True or False")
    if cls.analyze is plugin_api.Plugin.analyze:
        raise PluginLoadError(f"{where} does not define analyze(self, document, dependencies)")
    for method in ("analyze", "setup"):
        if not callable(getattr(cls, method)):
            raise PluginLoadError(f"{where}: {method} is not a method")
    try:
        inspect.signature(cls.analyze).bind(None, None, None)
    except TypeError:
        raise PluginLoadError(
            f"{where}: analyze must take (self, document, dependencies)"
        ) from None
    except ValueError:
        pass  # no signature (a builtin): cannot check

    info = nlpd_pb2.PluginInfo(
        name=name,
        version=version,
        description=plugin_api._description_of(cls),
        languages=languages,
        dependencies=dependencies,
        result_type=type_descriptor.full_name,
        path=path,
        checks_cancellation=False,
        abi_version=ABI_VERSION,
    )
    if type_descriptor.file.package != "nlpd.v1":
        info.descriptor_set = _descriptor_set(type_descriptor.file)
    return info


def load(path: str) -> LoadedPlugin:
    """Imports the plugin file at ``path`` and validates its Plugin subclass.

    ``path`` is made absolute; PluginInfo.path is that absolute path.

    Raises:
        PluginLoadError: the file is missing, does not import, or its class breaks the
            contract of nlpd.plugin; the message names the class and attribute.
    """
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise PluginLoadError("no such file")
    module = _import_file(path)
    cls = _plugin_class(module)
    return LoadedPlugin(cls=cls, info=_info_of(cls, path), directory=os.path.dirname(path))


class _StartError(Exception):
    """Start failed; the message is the whole status message."""


class PluginRunner:
    """One plugin instance and its calls, without gRPC. Thread-safe."""

    def __init__(self, loaded: LoadedPlugin) -> None:
        self.loaded = loaded
        self._start_lock = threading.Lock()
        self._instance: plugin_api.Plugin | None = None
        # Serializes analyze() of a plugin that is not thread-safe.
        self._call_lock: threading.Lock | None = (
            None if loaded.cls.thread_safe else threading.Lock()
        )
        self._expected = loaded.cls.result_type
        self._prefix = f"plugin '{loaded.info.name}'"

    @property
    def started(self) -> bool:
        return self._instance is not None

    def start(self, config: bytes) -> None:
        """Creates the instance and calls ``setup(config)`` once.

        Raises:
            _StartError: already started, or the constructor or setup() raised; the
                message reads "plugin PATH ('name'): setup failed: ...".
        """
        info = self.loaded.info
        with self._start_lock:
            if self._instance is not None:
                raise _StartError("the plugin was already started")
            try:
                instance = self.loaded.cls()
                instance.setup(config)
            except BaseException as error:  # noqa: BLE001 - SystemExit too
                if isinstance(error, plugin_api.PluginError):
                    why = error.message
                else:
                    why = describe_exception(error, self.loaded.directory)
                    _log.error("setup failed:\n%s", traceback.format_exc().rstrip())
                raise _StartError(
                    f"plugin {info.path} ('{info.name}'): setup failed: {why}"
                ) from error
            self._instance = instance

    def _error(self, code: int, text: str) -> plugin_host_pb2.HostAnalyzeResponse:
        return plugin_host_pb2.HostAnalyzeResponse(
            error=nlpd_pb2.Error(code=code, message=f"{self._prefix}: {text}")
        )

    def analyze(self, request_bytes: bytes) -> plugin_host_pb2.HostAnalyzeResponse:
        """Runs the plugin on a serialized nlpd.v1.PluginRequest.

        Never raises for the plugin's failures: they are in the response's ``error``.
        Requires start() first (asserted by the caller).
        """
        instance = self._instance
        assert instance is not None
        request = plugin_pb2.PluginRequest()
        try:
            request.ParseFromString(request_bytes)
        except message.DecodeError:
            return self._error(_INVALID_ARGUMENT, "cannot parse nlpd.v1.PluginRequest")
        try:
            dependencies = _decode_dependencies(request.dependency_results)
        except message.DecodeError as error:
            return self._error(_INTERNAL, str(error))
        try:
            if self._call_lock is None:
                result: object = instance.analyze(request.document, dependencies)
            else:
                with self._call_lock:
                    result = instance.analyze(request.document, dependencies)
        except plugin_api.PluginError as error:
            return self._error(error.code, error.message)
        except BaseException as error:  # noqa: BLE001 - SystemExit too
            _log.error("analyze failed:\n%s", traceback.format_exc().rstrip())
            return self._error(_INTERNAL, describe_exception(error, self.loaded.directory))
        finally:
            plugin_api._forget_cached_spans()
        expected = self._expected
        if not isinstance(result, message.Message) or (
            not isinstance(result, expected) and result.DESCRIPTOR is not expected.DESCRIPTOR
        ):
            got = (
                result.DESCRIPTOR.full_name
                if isinstance(result, message.Message)
                else type(result).__qualname__
            )
            return self._error(
                _INTERNAL, f"analyze() returned {got}, expected {expected.DESCRIPTOR.full_name}"
            )
        try:
            data = result.SerializeToString()
        except message.EncodeError as error:
            return self._error(_INTERNAL, f"cannot serialize the result: {error}")
        return plugin_host_pb2.HostAnalyzeResponse(result=data)


def _decode_dependencies(results: Mapping[str, any_pb2.Any]) -> dict[str, message.Message]:
    """Each Any decoded when its type is in the default pool, else left as the Any.

    Raises:
        message.DecodeError: a result does not parse as the type it names.
    """
    decoded: dict[str, message.Message] = {}
    pool = descriptor_pool.Default()
    for name, packed in results.items():
        try:
            type_descriptor = pool.FindMessageTypeByName(packed.TypeName())
        except KeyError:
            copy = any_pb2.Any()
            copy.CopyFrom(packed)
            decoded[name] = copy
            continue
        cls = message_factory.GetMessageClass(type_descriptor)
        try:
            decoded[name] = cls.FromString(packed.value)
        except message.DecodeError:
            raise message.DecodeError(
                f"dependency result '{name}' is not a valid {type_descriptor.full_name}"
            ) from None
    return decoded


class _Service(plugin_host_pb2_grpc.PluginHostServicer):
    def __init__(self, runner: PluginRunner) -> None:
        self._runner = runner

    def Start(  # noqa: N802 - gRPC method name
        self, request: plugin_host_pb2.StartPluginRequest, context: grpc.ServicerContext
    ) -> plugin_host_pb2.StartPluginResponse:
        try:
            self._runner.start(request.config)
        except _StartError as error:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(error))
        _log.debug("started, pid %d", os.getpid())
        return plugin_host_pb2.StartPluginResponse(info=self._runner.loaded.info, pid=os.getpid())

    def Analyze(  # noqa: N802 - gRPC method name
        self, request: plugin_host_pb2.HostAnalyzeRequest, context: grpc.ServicerContext
    ) -> plugin_host_pb2.HostAnalyzeResponse:
        if not self._runner.started:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "Analyze before Start")
        return self._runner.analyze(request.request)


class _Formatter(logging.Formatter):
    """``2026-01-02T03:04:05.678Z INFO tag: message``, like the server's text log."""

    def __init__(self) -> None:
        super().__init__()
        self.tag = "nlpd.plugin_host"

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        millis = int(record.msecs)
        text = f"{stamp}.{millis:03d}Z {record.levelname} {self.tag}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _setup_logging() -> _Formatter:
    formatter = _Formatter()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    return formatter


def _take_stdout() -> int:
    """Points fd 1 and sys.stdout at stderr; returns a private fd of the old stdout."""
    sys.stdout.flush()
    protocol = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def _write_all(fd: int, data: bytes) -> bool:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        return False
    return True


def _die_with_parent() -> bool:
    """Asks for SIGKILL when the parent dies; False when it is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: best effort
        _log.warning("cannot set PR_SET_PDEATHSIG; the host may outlive the server")
    return os.getppid() != 1


def probe(path: str) -> int:
    """``--probe``: writes a serialized PluginProbe to stdout; the exit status."""
    protocol = _take_stdout()
    answer = plugin_host_pb2.PluginProbe()
    try:
        answer.info.CopyFrom(load(path).info)
    except PluginLoadError as error:
        answer.error = f"plugin {path}: {error}"
    ok = _write_all(protocol, answer.SerializeToString())
    os.close(protocol)
    return 0 if ok else 1


def serve(path: str, socket_path: str) -> int:
    """``--socket``: serves the plugin until killed; the exit status on failure."""
    if not _die_with_parent():
        print("nlpd-plugin-host: the parent process is already gone", file=sys.stderr)
        return 1
    protocol = _take_stdout()
    formatter = _setup_logging()

    def fail(why: str) -> int:
        _write_all(protocol, f"error: {' '.join(why.splitlines())}\n".encode())
        os.close(protocol)
        return 1

    try:
        loaded = load(path)
    except PluginLoadError as error:
        return fail(f"plugin {path}: {error}")
    formatter.tag = loaded.info.name
    workers = min(32, (os.cpu_count() or 1) + 4)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="analyze"),
        options=[("grpc.max_receive_message_length", -1), ("grpc.max_send_message_length", -1)],
    )
    service = _Service(PluginRunner(loaded))
    # The generated registration function has no type annotations.
    plugin_host_pb2_grpc.add_PluginHostServicer_to_server(service, server)  # type: ignore[no-untyped-call]
    try:
        if server.add_insecure_port(f"unix:{socket_path}") == 0:
            raise RuntimeError("port 0")
    except RuntimeError:
        return fail(f"cannot listen on unix:{socket_path}")
    server.start()
    if not _write_all(protocol, b"ready\n"):
        return 1
    # The server reads nothing more; a plugin's print must not reach its pipe (fd 1 and
    # sys.stdout already point at stderr).
    os.close(protocol)
    _log.debug("serving %s on unix:%s", loaded.info.path, socket_path)
    server.wait_for_termination()
    return 0


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m nlpd.plugin_host",
        description="Runs one Python nlpd plugin in its own process (started by nlpd).",
        usage="%(prog)s --plugin=FILE.py (--socket=PATH | --probe)",
    )
    parser.add_argument("--plugin", default="", help="the plugin file (FILE.py)")
    parser.add_argument("--socket", default="", help="Unix socket path to serve on")
    parser.add_argument(
        "--probe",
        action="store_true",
        help="print a serialized nlpd.v1.PluginProbe for --plugin and exit",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status (2 for usage errors)."""
    args = _parse_args(argv)
    if not args.plugin:
        print("nlpd-plugin-host: --plugin is required", file=sys.stderr)
        return 2
    if args.probe:
        return probe(cast(str, args.plugin))
    if not args.socket:
        print("nlpd-plugin-host: --socket or --probe is required", file=sys.stderr)
        return 2
    return serve(cast(str, args.plugin), cast(str, args.socket))


if __name__ == "__main__":
    sys.exit(main())
