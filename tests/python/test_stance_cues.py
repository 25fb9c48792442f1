"""Extra stance cue files through the real server: the stance plugin's config
(`cues <language> <path>` lines) adds cues without a rebuild, and a mistake in
such a file refuses the stance plugin with its file and line while the rest of
the server keeps serving (docs/STANCE.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import nlpd
from conftest import Server, start_server, stop_server
from nlpd.v1 import results_pb2

CALL_TIMEOUT_S = 60
SUNAK = "Premierminister Rishi Sunak ordnete Drohnenflüge über dem Kanal an."
DRONE_CUES = "# drone incursions\ncue FAVOR 3 attack drohnenflüge|drohnenflug*\n"


def _serve_with_cues(tmp_path: Path, cue_text: str) -> Server:
    """A server whose stance plugin reads one extra German cue file."""
    cues = tmp_path / "drones_de.txt"
    cues.write_text(cue_text, encoding="utf-8")
    config = tmp_path / "nlpd.textproto"
    config.write_text(
        f'plugins {{ key: "stance" value {{ config: "cues de {cues}\\n" }} }}\n',
        encoding="utf-8",
    )
    return start_server(f"--config={config}")


def _favor_actors(response: object) -> list[str]:
    return [
        s.actor
        for s in response.stance.statements  # type: ignore[attr-defined]
        if s.stance == results_pb2.FAVOR
    ]


@pytest.fixture(scope="module")
def drone_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = _serve_with_cues(tmp_path_factory.mktemp("drones"), DRONE_CUES)
    yield srv
    stop_server(srv)


def test_an_extra_cue_file_adds_a_cue(drone_server: Server, client: nlpd.Client) -> None:
    # The built-in lexicon has no cue for drone flights.
    assert _favor_actors(client.analyze(SUNAK, ["stance"])) == []
    with nlpd.Client(drone_server.address, timeout=CALL_TIMEOUT_S) as extended:
        response = extended.analyze(SUNAK, ["stance"])
    actors = _favor_actors(response)
    assert any("Rishi Sunak" in actor for actor in actors), response.stance
    [event] = [e for e in response.stance.events if e.kind == "attack"]
    assert "Rishi Sunak" in event.actor


def test_a_mistake_in_a_cue_file_refuses_stance_and_entities_still_serve(
    tmp_path: Path,
) -> None:
    srv = _serve_with_cues(tmp_path, "# drone incursions\ncue FAVOUR 3 attack drohnenflüge\n")
    try:
        with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
            listing = client.list_plugins()
            assert "stance" not in [p.name for p in listing.plugins]
            [error] = [e for e in listing.load_errors if "stance" in e.path]
            assert f"{tmp_path / 'drones_de.txt'} line 2" in error.message, error.message
            assert 'unknown stance "FAVOUR"' in error.message, error.message
            response = client.analyze(SUNAK, ["entities"])
            assert "Rishi Sunak" in [e.text for e in response.entities.entities]
            with pytest.raises(nlpd.FailedPreconditionError):
                client.analyze(SUNAK, ["stance"])
        assert srv.proc.poll() is None
    finally:
        stop_server(srv)


def test_cues_for_a_language_without_a_folder_refuse_stance(tmp_path: Path) -> None:
    cues = tmp_path / "drones_fr.txt"
    cues.write_text(DRONE_CUES, encoding="utf-8")
    config = tmp_path / "nlpd.textproto"
    config.write_text(
        f'plugins {{ key: "stance" value {{ config: "cues fr {cues}" }} }}\n', encoding="utf-8"
    )
    srv = start_server(f"--config={config}")
    try:
        with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as client:
            [error] = [e for e in client.list_plugins().load_errors if "stance" in e.path]
            assert 'cues for language "fr"' in error.message, error.message
            assert str(cues) in error.message, error.message
    finally:
        stop_server(srv)
