"""Deployment (issue 15, item 3): what can be checked here without Docker or a cluster.

* The Kubernetes manifests (deploy/kubernetes) validate against the Kubernetes JSON
  schemas, strictly (no unknown fields), offline (kubernetes-validate bundles them), for
  the oldest version with gRPC probes (1.27) and the newest the package knows.
* deploy/docker/image-root, which the Dockerfile's build stage runs, lays out the final
  image's files in a temporary root: only the runtime files; every library they link is
  found (ldd) and comes from deploy/docker/runtime-packages.txt (which the final stage
  installs) or the base image, and every package there is needed.
* The server in that root starts with the ConfigMap's config, finds its plugins beside
  itself, answers ``nlpd-health`` (the image's HEALTHCHECK) SERVING, analyzes, serves
  metrics on the port that the pods' Prometheus annotations name; nlpd-health fails
  once it is stopped.
* The Dockerfile, the manifests and the config agree on ports, user, probe and files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

import nlpd
from conftest import REPO, Server, build_dir, free_port, start_server, stop_server

KUBERNETES = REPO / "deploy" / "kubernetes"
DOCKER = REPO / "deploy" / "docker"
MANIFESTS = ["configmap.yaml", "deployment.yaml", "service.yaml", "pdb.yaml"]
# gRPC probes are GA from 1.27; the newest schemas kubernetes-validate bundles.
KUBERNETES_VERSIONS = ["1.27.0", kubernetes_validate.latest_version()]
# libc6, libgcc-s1 and libstdc++6 are in debian:12-slim.
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}
IMAGE_FILES = {
    "opt/nlpd/bin/nlpd",
    "opt/nlpd/bin/nlpd-health",
    "opt/nlpd/bin/nlpd-plugin-host",
    "opt/nlpd/lib/libnlpd-proto.so",
    "opt/nlpd/lib/nlpd/plugins/libnlpd_entities.so",
    "opt/nlpd/lib/nlpd/plugins/libnlpd_keywords.so",
    "opt/nlpd/lib/nlpd/plugins/libnlpd_sentiment.so",
    "opt/nlpd/lib/nlpd/plugins/libnlpd_stance.so",
}


def _documents(name: str) -> list[dict[str, Any]]:
    with open(KUBERNETES / name, encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def _all_documents() -> list[dict[str, Any]]:
    return [doc for name in MANIFESTS for doc in _documents(name)]


def _of_kind(kind: str, name: str | None = None) -> dict[str, Any]:
    found = [
        d
        for d in _all_documents()
        if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]
    assert len(found) == 1, (kind, name, len(found))
    return found[0]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_the_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    kinds = []
    for doc in _all_documents():
        kubernetes_validate.validate(doc, version, strict=True)  # raises when invalid
        kinds.append(doc["kind"])
    assert sorted(kinds) == [
        "ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "Service",
    ]  # fmt: skip


def test_the_validation_finds_mistakes() -> None:
    deployment = _of_kind("Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken_container = broken["spec"]["template"]["spec"]["containers"][0]
    broken_container["readinesProbe"] = broken_container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError, match="readinesProbe"):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)
    assert container["readinessProbe"]["grpc"]["port"] == 50051


def test_the_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    assert sorted(kustomization["resources"]) == sorted(MANIFESTS)
    on_disk = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert on_disk == set(MANIFESTS)


def _config_text() -> str:
    return str(_of_kind("ConfigMap")["data"]["nlpd.textproto"])


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, f"{pattern!r} not found"
    return match.group(1)


def test_the_manifests_agree_with_each_other_and_the_image() -> None:
    config = _config_text()
    listen_port = int(_find(r'^listen: "0\.0\.0\.0:(\d+)"$', config))
    metrics_port = int(_find(r'^metrics_listen: "0\.0\.0\.0:(\d+)"$', config))
    workers = int(_find(r"^workers: (\d+)$", config))
    deployment = _of_kind("Deployment")
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"grpc": listen_port, "metrics": metrics_port}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["grpc"]["port"] == listen_port, probe
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == metrics_port
    # One worker per core of the CPU limit.
    assert int(container["resources"]["limits"]["cpu"]) == workers
    assert "--config=/etc/nlpd/nlpd.textproto" in container["args"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["config"] == "/etc/nlpd"
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    grace = int(_find(r"--shutdown_grace_seconds=(\d+)", " ".join(container["args"])))
    assert grace < pod["spec"]["terminationGracePeriodSeconds"]
    headless = _of_kind("Service", "nlpd-headless")
    assert headless["spec"]["clusterIP"] == "None"
    assert _of_kind("Service", "nlpd")["spec"]["type"] == "ClusterIP"
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert headless["spec"]["selector"] == selector
    assert _of_kind("PodDisruptionBudget")["spec"]["selector"]["matchLabels"] == selector

    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "deploy/docker/image-root /build /image" in dockerfile
    assert "COPY --from=build /image/ /" in dockerfile
    assert "runtime-packages.txt" in dockerfile
    user = re.search(r"^USER (\d+):(\d+)$", dockerfile, re.M)
    assert user is not None and user.group(1) != "0"
    assert int(user.group(1)) == pod["spec"]["securityContext"]["runAsUser"]
    assert re.search(rf"^EXPOSE {listen_port} {metrics_port}$", dockerfile, re.M)
    healthcheck = re.search(r'^HEALTHCHECK .*\n\s+CMD \["([^"]+)"', dockerfile, re.M)
    assert healthcheck is not None and healthcheck.group(1) == "/opt/nlpd/bin/nlpd-health"
    assert re.search(r'^ENTRYPOINT \["/opt/nlpd/bin/nlpd"\]$', dockerfile, re.M)
    assert container["image"].split(":")[0] == "nlpd"


# -- the image's files --------------------------------------------------------------------


@pytest.fixture(scope="module")
def image_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("image") / "root"
    done = subprocess.run(
        [str(DOCKER / "image-root"), str(build_dir()), str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return root


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _ldd(path: Path) -> dict[str, str]:
    """soname -> resolved path (or "not found") of ``path``'s libraries."""
    done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True)
    found = {}
    for line in done.stdout.splitlines():
        match = re.match(r"\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _needed(path: Path) -> list[str]:
    done = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+)\]", done.stdout)


def _packages_of(libraries: set[str]) -> dict[str, str]:
    """library path -> the Debian package that owns it (one dpkg -S for all)."""
    # Debian 12 registers libraries under /lib or /usr/lib (merged /usr): ask for both.
    variants: dict[str, str] = {}
    for library in libraries:
        for path in {library, str(Path(library).resolve())}:
            variants[path] = library
            variants[path.replace("/usr/lib/", "/lib/", 1)] = library
    done = subprocess.run(["dpkg", "-S", *sorted(variants)], capture_output=True, text=True)
    owners = {}
    for line in done.stdout.splitlines():
        package, _, path = line.partition(": ")
        if path in variants:
            owners[variants[path]] = package.split(":")[0]
    unowned = libraries - set(owners)
    assert not unowned, f"no Debian package owns {sorted(unowned)}"
    return owners


def test_the_image_root_holds_the_runtime_files_only(image_root: Path) -> None:
    assert _files(image_root) == IMAGE_FILES
    size = sum((image_root / f).stat().st_size for f in IMAGE_FILES)
    print(f"image root: {len(IMAGE_FILES)} files, {size / 1e6:.1f} MB")
    for name in IMAGE_FILES:
        assert not (image_root / name).stat().st_mode & 0o022, f"{name} is writable by others"


def test_every_library_is_found_and_comes_from_the_runtime_packages(image_root: Path) -> None:
    if shutil.which("dpkg") is None:
        pytest.skip("needs dpkg (Debian) to map libraries to packages")
    listed = {
        line.split("#")[0].strip()
        for line in (DOCKER / "runtime-packages.txt").read_text().splitlines()
    } - {""}
    needed_packages = set()
    libraries = set()
    for name in IMAGE_FILES:
        path = image_root / name
        resolved = _ldd(path)
        missing = [lib for lib, where in resolved.items() if where == "not found"]
        assert not missing, f"{name}: {missing} not found"
        for soname in _needed(path):
            where = resolved.get(soname)
            if where is None:  # the dynamic loader, which ldd lists by its path alone
                assert soname.startswith("ld-linux"), (name, soname)
                needed_packages.add("libc6")
                continue
            if where.startswith(str(image_root)):
                continue  # libnlpd-proto.so, through the RUNPATH
            libraries.add(where)
    needed_packages |= set(_packages_of(libraries).values())
    assert needed_packages - BASE_IMAGE_PACKAGES == listed


@dataclass
class ImageServer:
    server: Server
    metrics_port: int


@pytest.fixture(scope="module")
def image_server(
    image_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ImageServer]:
    """The server of the image root, with the ConfigMap's config on free loopback ports,
    and no --plugin_dir (it finds its plugins beside itself)."""
    config = _config_text()
    metrics_port = free_port()
    config = config.replace('listen: "0.0.0.0:50051"', 'listen: "127.0.0.1:0"')
    config = config.replace(
        'metrics_listen: "0.0.0.0:9464"', f'metrics_listen: "127.0.0.1:{metrics_port}"'
    )
    path = tmp_path_factory.mktemp("config") / "nlpd.textproto"
    path.write_text(config)
    server = start_server(
        f"--config={path}", binary=image_root / "opt/nlpd/bin/nlpd", plugin_dirs=[]
    )
    yield ImageServer(server, metrics_port)
    stop_server(server)


def _health(image_root: Path, address: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(image_root / "opt/nlpd/bin/nlpd-health"), f"--target={address}"],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_image_server_serves_with_the_configmap_config(
    image_root: Path, image_server: ImageServer
) -> None:
    address = image_server.server.address
    health = _health(image_root, address)
    assert (health.returncode, health.stdout) == (0, "SERVING\n"), health.stderr
    with nlpd.Client(address, timeout=30) as client:
        plugins = {p.name: p for p in client.plugins()}
        assert set(plugins) == {"entities", "keywords", "sentiment", "stance"}
        response = client.analyze(
            "Der Verteidigungsminister von Taiwan warnte vor einer Eskalation.",
            ["entities", "sentiment", "stance"],
        )
    assert [e.text for e in response.entities.entities] == ["Taiwan"]
    assert len(response.stance.statements) == 1
    port = image_server.metrics_port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as metrics:
        assert 'nlpd_requests_total{method="Analyze",code="OK"} 1' in metrics.read().decode()


def test_nlpd_health_fails_without_a_server(image_root: Path) -> None:
    health = _health(image_root, f"127.0.0.1:{free_port()}")
    assert health.returncode == 1
    assert health.stdout.startswith("UNAVAILABLE"), health.stdout
