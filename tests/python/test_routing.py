"""Where results go, and why an analysis did not run, through the real server.

A typed field of AnalyzeResponse (entities, sentiment, stance) holds the result of the
plugin of that name; every other plugin's result is in custom_results under its name,
even one of a built-in type: test_fault (<build>/test_plugins_fault) returns an
nlpd.v1.EntitiesResult beside the built-in "entities", and neither may lose its result.

test_needs_entities and test_needs_needs_entities (<build>/test_plugins_chain) take any
language and need "entities" (German and English), directly or through the other: in
French they did not run because of a dependency (DEPENDENCY_NOT_RUN), and the reason
names the dependency and the language, down to the root of the chain.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

import nlpd
from conftest import Server, build_dir, start_server, stop_server
from nlpd.cli import main as nlpctl
from nlpd.v1 import nlpd_pb2, results_pb2
from test_http import call, http_base

CALL_TIMEOUT_S = 30.0
FAULT = "test_fault"
ENTITIES_URL = "type.googleapis.com/nlpd.v1.EntitiesResult"
OK = nlpd_pb2.AnalysisInfo.OK
UNSUPPORTED_LANGUAGE = nlpd_pb2.AnalysisInfo.UNSUPPORTED_LANGUAGE
DEPENDENCY_NOT_RUN = nlpd_pb2.AnalysisInfo.DEPENDENCY_NOT_RUN

GERMAN = (
    "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist. "
    "Dort sprach er mit Emmanuel Macron über die Lage in der Ukraine."
)
FRENCH = (
    "Le président Emmanuel Macron a reçu mardi à Paris le chancelier Olaf Scholz. "
    "Les deux dirigeants ont parlé de la situation en Ukraine."
)
ENTITIES_IN_FRENCH = "'entities' supports de, en; the document's language is 'fr'"
NEEDS_ENTITIES = "needs 'entities', which does not support language 'fr' (it supports de, en)"
NEEDS_NEEDS_ENTITIES = (
    "needs 'test_needs_entities', which needs 'entities', which does not support "
    "language 'fr' (it supports de, en)"
)


@pytest.fixture(scope="module")
def srv() -> Iterator[Server]:
    build = build_dir()
    dirs = [build / "plugins", build / "test_plugins_fault", build / "test_plugins_chain"]
    for directory in dirs:
        if not directory.is_dir():
            pytest.fail(f"{directory} not found: build the test plugins", pytrace=False)
    server = start_server("--http_listen=127.0.0.1:0", plugin_dirs=dirs)
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def client(srv: Server) -> Iterator[nlpd.Client]:
    with nlpd.Client(srv.address, timeout=CALL_TIMEOUT_S) as c:
        c.wait_ready(timeout=CALL_TIMEOUT_S)
        yield c


def run_nlpctl(srv: Server, *args: str, stdin: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = nlpctl(
        ["--target", srv.address, *args], stdin=io.StringIO(stdin), stdout=out, stderr=err
    )
    assert code == 0, err.getvalue()
    return out.getvalue()


def outcomes(response: nlpd_pb2.AnalyzeResponse) -> list[tuple[str, int, str]]:
    return [(a.name, a.outcome, a.reason) for a in response.analyses]


# --- two plugins with one result type ----------------------------------------------------


def assert_both_results(client: nlpd.Client, response: nlpd_pb2.AnalyzeResponse) -> None:
    assert outcomes(response) == [("entities", OK, ""), (FAULT, OK, "")]
    # The typed field is the built-in "entities"' result, not test_fault's.
    found = {(e.label, e.text) for e in response.entities.entities}
    assert {("PER", "Olaf Scholz"), ("LOC", "Paris")} <= found, found
    assert "FIRST_WORD" not in {label for label, _ in found}
    # test_fault's EntitiesResult is a custom result under its name, decoded with the
    # generated class.
    assert list(response.custom_results) == [FAULT]
    assert response.custom_results[FAULT].type_url == ENTITIES_URL
    fault = client.custom_result(response, FAULT)
    assert isinstance(fault, results_pb2.EntitiesResult)
    [entity] = fault.entities
    assert (entity.label, entity.text) == ("FIRST_WORD", "Bundeskanzler")
    assert (entity.span.char_start, entity.span.char_end) == (0, len("Bundeskanzler"))
    with pytest.raises(nlpd.ResultNotFoundError, match="typed field: read response.entities"):
        client.custom_result(response, "entities")


def test_builtin_entities_and_a_plugin_of_the_same_type_keep_both_results(
    client: nlpd.Client,
) -> None:
    for analyses in (["entities", FAULT], [FAULT, "entities"]):
        assert_both_results(client, client.analyze(GERMAN, analyses, language="de"))


def test_stream_keeps_both_results(client: nlpd.Client) -> None:
    [streamed] = client.analyze_stream([GERMAN], ["entities", FAULT], language="de")
    assert streamed.WhichOneof("outcome") == "response", streamed
    assert_both_results(client, streamed.response)


def test_to_dict_and_nlpctl_show_a_custom_result_of_a_builtin_type(
    srv: Server, client: nlpd.Client
) -> None:
    response = client.analyze(GERMAN, ["entities", FAULT], language="de")
    doc = client.to_dict(response)
    fault = doc["custom_results"][FAULT]
    assert fault["@type"] == ENTITIES_URL
    assert [(e["label"], e["text"]) for e in fault["entities"]] == [("FIRST_WORD", "Bundeskanzler")]
    assert ("PER", "Olaf Scholz") in {(e["label"], e["text"]) for e in doc["entities"]["entities"]}

    printed = json.loads(
        run_nlpctl(srv, "analyze", "-", "--analyses", f"entities,{FAULT}", stdin=GERMAN)
    )
    assert printed["custom_results"][FAULT] == fault
    assert printed["entities"] == doc["entities"]

    # The readable form shows test_fault's entities as a section of its own.
    text = run_nlpctl(
        srv, "analyze", "-", "--analyses", f"entities,{FAULT}", "--format", "text", stdin=GERMAN
    )
    sections = {block.splitlines()[0]: block.splitlines()[1:] for block in text.split("\n\n")}
    assert sections[FAULT] == ["  FIRST_WORD Bundeskanzler"], text
    assert "  PER  Olaf Scholz" in sections["entities"], text
    assert not any("FIRST_WORD" in line for line in sections["entities"]), text


def test_http_prints_a_custom_result_of_a_builtin_type_as_typed_json(srv: Server) -> None:
    status, _, body = call(
        f"{http_base(srv)}/v1/analyze",
        {"text": GERMAN, "language": "de", "analyses": ["entities", FAULT]},
    )
    assert status == 200, body
    response = json.loads(body)
    fault = response["customResults"][FAULT]
    assert fault["@type"] == ENTITIES_URL
    assert [e["label"] for e in fault["entities"]] == ["FIRST_WORD"]
    assert "FIRST_WORD" not in [e["label"] for e in response["entities"]["entities"]]


# --- why an analysis did not run ---------------------------------------------------------


def test_a_dependency_that_does_not_support_the_language_is_named_with_the_root_cause(
    client: nlpd.Client,
) -> None:
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="which needs 'entities'"):
        response = client.analyze(FRENCH, ["test_needs_needs_entities"], language="fr")
    assert response.document.language == "fr"
    assert outcomes(response) == [
        ("entities", UNSUPPORTED_LANGUAGE, ENTITIES_IN_FRENCH),
        ("test_needs_entities", DEPENDENCY_NOT_RUN, NEEDS_ENTITIES),
        ("test_needs_needs_entities", DEPENDENCY_NOT_RUN, NEEDS_NEEDS_ENTITIES),
    ]
    assert [a.dependency for a in response.analyses] == [True, True, False]
    assert not response.HasField("entities")
    assert not response.custom_results
    with pytest.raises(nlpd.ResultNotFoundError) as absent:
        client.custom_result(response, "test_needs_needs_entities")
    assert f"'test_needs_needs_entities' was skipped: {NEEDS_NEEDS_ENTITIES}" in str(absent.value)

    # In German the whole chain runs.
    response = client.analyze(GERMAN, ["test_needs_needs_entities"], language="de")
    assert [(name, outcome) for name, outcome, _ in outcomes(response)] == [
        ("entities", OK),
        ("test_needs_entities", OK),
        ("test_needs_needs_entities", OK),
    ]
    assert sorted(response.custom_results) == ["test_needs_entities", "test_needs_needs_entities"]
    assert isinstance(
        client.custom_result(response, "test_needs_entities"), results_pb2.SentimentResult
    )


def test_builtin_plugins_in_an_unsupported_language_say_which_languages_they_support(
    client: nlpd.Client,
) -> None:
    """stance and sentiment need entities; all three take German and English only, so
    in French each is UNSUPPORTED_LANGUAGE for its own language."""
    with pytest.warns(nlpd.AnalysisSkippedWarning, match="2 requested analyses did not run"):
        response = client.analyze(FRENCH, ["stance", "sentiment"], language="fr")
    assert outcomes(response) == [
        ("entities", UNSUPPORTED_LANGUAGE, ENTITIES_IN_FRENCH),
        (
            "sentiment",
            UNSUPPORTED_LANGUAGE,
            "'sentiment' supports de, en; the document's language is 'fr'",
        ),
        (
            "stance",
            UNSUPPORTED_LANGUAGE,
            "'stance' supports de, en; the document's language is 'fr'",
        ),
    ]


def test_nlpctl_text_says_why_an_analysis_did_not_run(srv: Server) -> None:
    text = run_nlpctl(
        srv, "analyze", "-", "--analyses", "test_needs_needs_entities", "--language", "fr",
        "--format", "text", stdin=FRENCH,
    )  # fmt: skip
    lines = text.splitlines()
    assert f"entities: skipped, {ENTITIES_IN_FRENCH}" in lines, text
    assert f"test_needs_entities: skipped, {NEEDS_ENTITIES}" in lines, text
    assert f"test_needs_needs_entities: skipped, {NEEDS_NEEDS_ENTITIES}" in lines, text

    printed = json.loads(
        run_nlpctl(
            srv,
            "analyze",
            "-",
            "--analyses",
            "test_needs_entities",
            "--language",
            "fr",
            stdin=FRENCH,
        )  # fmt: skip
    )
    assert [(a["name"], a["outcome"], a["reason"]) for a in printed["analyses"]] == [
        ("entities", "UNSUPPORTED_LANGUAGE", ENTITIES_IN_FRENCH),
        ("test_needs_entities", "DEPENDENCY_NOT_RUN", NEEDS_ENTITIES),
    ]
