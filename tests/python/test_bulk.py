"""analyze_many (nlpd.Client and nlpd.AsyncClient) against the real server: order and
ids over 10,000 texts, per-record errors, completion order, bounded memory, progress."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import nlpd
from conftest import Server
from doc_examples import run_section
from texts import GERMAN, short_text

COUNT = 10_000
BAD = 5_000  # an empty text in the middle


def records() -> Iterator[tuple[str, str]]:
    for i in range(COUNT):
        yield f"doc-{i}", "" if i == BAD else short_text(i)


def check_in_order(results: list[nlpd.BulkResult]) -> None:
    assert [r.index for r in results] == list(range(COUNT))
    assert [r.id for r in results] == [f"doc-{i}" for i in range(COUNT)]
    for i, r in enumerate(results):
        if i == BAD:
            assert not r.ok and r.response is None
            assert isinstance(r.error, nlpd.InvalidArgumentError)
            assert r.error.message == "text is empty"
        else:
            assert r.ok and r.error is None and r.response is not None, (i, r.error)
            assert r.response.document.text == short_text(i)


@pytest.mark.parametrize("concurrency", [nlpd.bulk.DEFAULT_CONCURRENCY, 1])
def test_ten_thousand_in_order_with_ids_and_one_error(
    client: nlpd.Client, concurrency: int
) -> None:
    check_in_order(list(client.analyze_many(records(), concurrency=concurrency, timeout=600)))


def test_async_ten_thousand_in_order_from_an_async_generator(server: Server) -> None:
    async def source() -> AsyncIterator[tuple[str, str]]:
        for item in records():
            yield item

    async def main() -> list[nlpd.BulkResult]:
        async with nlpd.AsyncClient(server.address) as ac:
            return [r async for r in ac.analyze_many(source(), concurrency=2, timeout=600)]

    check_in_order(asyncio.run(main()))


@dataclass
class Article:
    id: int
    text: str


class Note(NamedTuple):
    text: str
    id: str


def test_record_shapes_analyses_and_language(client: nlpd.Client) -> None:
    mixed: list[object] = [
        GERMAN,
        ("t", "Zweiter Text."),
        {"id": 42, "text": "Dritter Text."},
        {"text": "Vierter Text."},
        Article(7, "Fünfter Text."),
        Note("Sechster Text.", "n6"),
    ]
    results = list(client.analyze_many(mixed, ["keywords"], language="de"))
    assert [r.id for r in results] == ["0", "t", "42", "3", "7", "n6"]
    assert all(r.ok and r.response and r.response.document.language == "de" for r in results)
    first = results[0].response
    assert first is not None
    keywords: Any = client.custom_result(first, "keywords")
    assert "Fernwärme" in [k.text for k in keywords.keywords]


def test_unknown_analysis_fails_every_record_alone(client: nlpd.Client) -> None:
    results = list(client.analyze_many(["Eins.", "Zwei."], ["frobnicate"]))
    assert [type(r.error) for r in results] == [nlpd.NotFoundError, nlpd.NotFoundError]
    assert all("frobnicate" in str(r.error) for r in results)


def test_bad_records_and_arguments(client: nlpd.Client) -> None:
    for one_text in ("some text", b"some bytes"):
        with pytest.raises(TypeError, match=r"not one text: pass \[text\]"):
            client.analyze_many(one_text)
    with pytest.raises(ValueError, match="concurrency"):
        client.analyze_many([], concurrency=0)
    with pytest.raises(ValueError, match="window"):
        client.analyze_many([], window=0)
    # A bad record ends the input: the results before it come first.
    seen = []
    with pytest.raises(TypeError, match="record 2: expected str"):
        for r in client.analyze_many(["Eins.", "Zwei.", 3.5, "Vier."]):
            seen.append(r.id)
    assert seen == ["0", "1"]
    with pytest.raises(TypeError, match="record 0: the text must be str"):
        list(client.analyze_many([("id", b"bytes")]))
    with pytest.raises(TypeError, match="'text' key"):
        list(client.analyze_many([{"id": 1, "body": "x"}]))
    assert list(client.analyze_many([])) == []


def test_input_error_after_the_results_before_it(client: nlpd.Client) -> None:
    def source() -> Iterator[str]:
        for i in range(10):
            yield short_text(i)
        raise RuntimeError("source broke")

    seen = []
    with pytest.raises(RuntimeError, match="source broke"):
        for r in client.analyze_many(source(), concurrency=2):
            seen.append(r.index)
    assert seen == list(range(10))
    assert client.analyze("Noch da.").document.text == "Noch da."


@pytest.mark.parametrize("concurrency", [1, 4])
def test_unordered_yields_every_record_once(client: nlpd.Client, concurrency: int) -> None:
    results = list(client.analyze_many(records(), ordered=False, concurrency=concurrency))
    assert sorted(r.index for r in results) == list(range(COUNT))
    for r in results:
        assert r.id == f"doc-{r.index}"
        if r.index != BAD:
            assert r.response is not None and r.response.document.text == short_text(r.index)
    assert isinstance(results[[r.index for r in results].index(BAD)].error, nlpd.Error)


def test_async_unordered_yields_every_record_once(server: Server) -> None:
    async def main() -> list[nlpd.BulkResult]:
        async with nlpd.AsyncClient(server.address) as ac:
            return [r async for r in ac.analyze_many(records(), ordered=False, concurrency=3)]

    results = asyncio.run(main())
    assert sorted(r.index for r in results) == list(range(COUNT))
    assert all(r.id == f"doc-{r.index}" for r in results)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.parametrize(
    ("concurrency", "ordered", "window"),
    [(1, True, 32), (3, True, 32), (3, False, 32), (16, True, nlpd.bulk.DEFAULT_WINDOW)],
)
def test_memory_is_bounded_by_the_window(
    client: nlpd.Client, concurrency: int, ordered: bool, window: int
) -> None:
    """12,000 texts of 300 bytes from a generator: the generator runs at most `window`
    records ahead of the caller (gRPC flow control alone lets about 110 of them run
    ahead per stream; a window of 32 is what holds them), and neither Python objects
    (tracemalloc) nor the process (RSS) grow with the input. Keeping the 12,000
    results instead takes about 3 MB of traced Python objects and 70 MB of RSS (most
    of a response is protobuf's own memory, which tracemalloc does not see)."""
    count = 12_000
    read = 0

    def source() -> Iterator[str]:
        nonlocal read
        for i in range(count):
            read += 1
            yield f"{i}: {GERMAN}"

    gc.collect()
    rss_before = rss_peak = _rss_mb()
    ahead = done = 0
    tracemalloc.start()
    try:
        for r in client.analyze_many(
            source(), concurrency=concurrency, ordered=ordered, window=window
        ):
            assert r.ok
            done += 1
            ahead = max(ahead, read - done)
            if done % 500 == 0:
                rss_peak = max(rss_peak, _rss_mb())
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert done == count
    assert ahead <= window, f"the input ran {ahead} records ahead (window {window})"
    assert traced_peak < 2**20, f"tracemalloc peak {traced_peak / 2**20:.1f} MB"
    assert rss_peak - rss_before < 20, f"RSS grew {rss_peak - rss_before:.0f} MB"


def test_a_million_texts_are_read_lazily(client: nlpd.Client) -> None:
    read = 0

    def source() -> Iterator[str]:
        nonlocal read
        for i in range(1_000_000):
            read += 1
            yield short_text(i)

    results = client.analyze_many(source())
    for r in results:
        if r.index == 999:
            break
    results.close()  # type: ignore[attr-defined]  # cancels the stream
    assert read <= 1000 + nlpd.bulk.DEFAULT_WINDOW
    assert client.analyze("Noch da.").document.text == "Noch da."


def test_batches_in_several_threads_at_once(client: nlpd.Client) -> None:
    """Each blocking analyze_many runs its own event loop in a thread of its own."""
    outcome: dict[int, list[str]] = {}

    def batch(k: int) -> None:
        outcome[k] = [r.id for r in client.analyze_many(f"{k}-{i}" for i in range(500))]

    threads = [threading.Thread(target=batch, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert outcome == {k: [str(i) for i in range(500)] for k in range(4)}


def test_a_stream_failure_stops_the_batch() -> None:
    with nlpd.Client("127.0.0.1:1") as unreachable:
        with pytest.raises(nlpd.UnavailableError):
            list(unreachable.analyze_many(["Eins.", "Zwei."], concurrency=2))


def test_progress_bar(client: nlpd.Client, capsys: pytest.CaptureFixture[str]) -> None:
    texts = [short_text(i) for i in range(300)] + [""]
    assert len(list(client.analyze_many(texts, progress=True))) == 301
    err = capsys.readouterr().err
    assert "analyze_many: 100%" in err, err
    assert "301/301" in err and "errors=1" in err and "doc/s" in err


def test_progress_without_tqdm(
    client: nlpd.Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.warns(UserWarning, match=r"pip install 'nlpd\[progress\]'"):
        results = list(client.analyze_many((t for t in ["Eins.", "", "Drei."]), progress=True))
    assert len(results) == 3
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("analyze_many: 3 done, 1 errors, "), err


def test_async_progress_and_errors(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    async def main() -> list[Any]:
        async with nlpd.AsyncClient(server.address) as ac:
            return [r.ok async for r in ac.analyze_many(["Eins.", "", "Drei."], progress=True)]

    assert asyncio.run(main()) == [True, False, True]
    assert "3/3" in capsys.readouterr().err


README = Path(__file__).resolve().parents[2] / "clients" / "python" / "README.md"


@pytest.mark.parametrize(
    "heading", ["## Bulk analysis: `analyze_many`", "## asyncio: `nlpd.AsyncClient`"]
)
def test_the_readme_examples_print_what_the_readme_shows(
    server: Server, heading: str, tmp_path: Path
) -> None:
    """clients/python/README.md: the section's examples print what it shows."""
    run_section(README, heading, replace={"127.0.0.1:50051": server.address}, cwd=tmp_path)
