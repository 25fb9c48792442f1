"""The server's version: `nlpd --version` and ListPluginsResponse.server agree with the build."""

from __future__ import annotations

import re
import subprocess

import grpc

import nlpd
from conftest import REPO, build_dir
from nlpd.v1 import admin_pb2_grpc, nlpd_pb2

ABI_VERSION = "1.1"  # NLPD_ABI_VERSION_MAJOR.MINOR in plugins/sdk/include/nlpd/plugin.h


def _project_version() -> str:
    """The VERSION of project() in the top-level CMakeLists.txt."""
    match = re.search(r"project\(nlpd\s+VERSION\s+([0-9.]+)", (REPO / "CMakeLists.txt").read_text())
    assert match, "no project(nlpd VERSION ...) in CMakeLists.txt"
    return match.group(1)


def _build_type() -> str:
    """CMAKE_BUILD_TYPE of the build directory under test.

    Empty in the cache means the top-level CMakeLists.txt's default, RelWithDebInfo.
    """
    cache = (build_dir() / "CMakeCache.txt").read_text()
    match = re.search(r"^CMAKE_BUILD_TYPE:STRING=(.*)$", cache, re.MULTILINE)
    return match.group(1) if match and match.group(1) else "RelWithDebInfo"


def test_version_flag() -> None:
    for binary in ("nlpd", "nlpd-plugin-host"):
        done = subprocess.run(
            [str(build_dir() / "bin" / binary), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Debug build" not in done.stdout
        assert done.stdout == (
            f"{binary} {_project_version()} ({_build_type()} build, plugin ABI {ABI_VERSION})\n"
        )


def _check_server_info(info: nlpd_pb2.ServerInfo) -> None:
    assert info.version == _project_version()
    assert info.build_type == _build_type()
    assert info.abi_version == ABI_VERSION


def test_list_plugins_reports_server(client: nlpd.Client) -> None:
    _check_server_info(client.list_plugins().server)


def test_admin_list_plugins_reports_server(channel: grpc.Channel) -> None:
    stub = admin_pb2_grpc.AdminStub(channel)
    _check_server_info(stub.ListPlugins(nlpd_pb2.ListPluginsRequest(), timeout=30).server)
