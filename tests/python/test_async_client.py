"""nlpd.AsyncClient (grpc.aio) against the real server: the surface of nlpd.Client as
coroutines, the same errors, tokens on a plaintext channel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import grpc
import grpc.aio
import pytest

import nlpd
from conftest import Server, start_server, stop_server
from nlpd.v1.results_pb2 import EntitiesResult
from test_security import ADMIN, READER, pki, tls_server  # noqa: F401  (fixtures)
from texts import ENGLISH, GERMAN, short_text

T = TypeVar("T")


def run(main: Callable[[nlpd.AsyncClient], Coroutine[Any, Any, T]], address: str) -> T:
    """Run ``main(client)`` in a new event loop with a client made in that loop."""

    async def with_client() -> T:
        async with nlpd.AsyncClient(address, timeout=60) as client:
            await client.wait_ready(timeout=10)
            return await main(client)

    return asyncio.run(with_client())


def test_analyze_custom_result_to_dict_and_plugins(server: Server, client: nlpd.Client) -> None:
    async def main(ac: nlpd.AsyncClient) -> None:
        response = await ac.analyze(GERMAN, ["keywords", "entities"], language="de")
        assert response.document.language == "de"
        assert response.entities.entities
        keywords: Any = await ac.custom_result(response, "keywords")
        assert "Fernwärme" in [k.text for k in keywords.keywords]
        # The same as the blocking client, field for field.
        assert await ac.to_dict(response) == client.to_dict(response)
        sync = client.analyze(GERMAN, ["keywords", "entities"], language="de")
        assert sync.document == response.document
        names = [p.name for p in await ac.plugins()]
        assert names == [p.name for p in client.plugins()]
        listed = await ac.list_plugins()
        assert listed.server.version and [p.name for p in listed.plugins] == names
        # With the result's class: decoded into it, a wrong one is a TypeError.
        keywords_type = type(keywords)
        assert await ac.custom_result(response, "keywords", keywords_type) == keywords
        with pytest.raises(TypeError, match="not a nlpd.v1.EntitiesResult"):
            await ac.custom_result(response, "keywords", EntitiesResult)

    run(main, server.address)


def test_analyze_with_targets(server: Server) -> None:
    async def main(ac: nlpd.AsyncClient) -> None:
        response = await ac.analyze(ENGLISH, ["sentiment"], targets=["interest rates", (4, 16)])
        names = [s.name for s in response.sentiment.summaries]
        assert "interest rates" in names

    run(main, server.address)


def test_errors_are_nlpd_errors(server: Server) -> None:
    async def main(ac: nlpd.AsyncClient) -> None:
        with pytest.raises(nlpd.InvalidArgumentError, match="empty") as empty:
            await ac.analyze("")
        assert empty.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert isinstance(empty.value.__cause__, grpc.aio.AioRpcError)
        with pytest.raises(nlpd.NotFoundError, match="frobnicate"):
            await ac.analyze(GERMAN, ["frobnicate"])
        long_text = " ".join([GERMAN] * 200)  # takes far longer than 1 ms to analyze
        with pytest.raises(nlpd.DeadlineExceededError):
            await ac.analyze(long_text, ["entities", "keywords", "sentiment"], timeout=1e-3)
        with pytest.raises(nlpd.ResultNotFoundError, match="no custom result 'keywords'"):
            await ac.custom_result(await ac.analyze(GERMAN), "keywords")
        with pytest.raises(TypeError, match="bare str"):
            await ac.analyze(GERMAN, ["sentiment"], targets="Inflation")
        with pytest.raises(nlpd.NotFoundError):
            await ac.unload_plugin("no-such-plugin")
        with pytest.raises(nlpd.InvalidArgumentError):
            await ac.load_plugin("/nonexistent/libnlpd_nothing.so")
        # A rescan of an unchanged directory changes nothing.
        assert list((await ac.reload_plugins()).changes) == []

    run(main, server.address)


def test_unreachable_server() -> None:
    async def main() -> None:
        async with nlpd.AsyncClient("127.0.0.1:1", retries=0) as ac:
            with pytest.raises(nlpd.UnavailableError) as caught:
                await ac.analyze(GERMAN)
            assert isinstance(caught.value.__cause__, grpc.aio.AioRpcError)
            with pytest.raises(nlpd.UnavailableError, match="within 0.2 s"):
                await ac.wait_ready(timeout=0.2)
            with pytest.raises(nlpd.UnavailableError):
                [r async for r in ac.analyze_stream(["Eins."])]

    asyncio.run(main())


def test_stream_in_order_with_a_bad_document(server: Server) -> None:
    async def main(ac: nlpd.AsyncClient) -> list[Any]:
        texts = ["" if i == 100 else short_text(i) for i in range(300)]
        return [r async for r in ac.analyze_stream(texts)]

    responses = run(main, server.address)
    assert [r.id for r in responses] == [str(i) for i in range(300)]
    for i, r in enumerate(responses):
        if i == 100:
            assert r.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
        else:
            assert r.response.document.text == short_text(i)


def test_stream_of_an_async_generator_is_lazy(server: Server) -> None:
    consumed = 0

    async def texts() -> AsyncIterator[tuple[str, str]]:
        nonlocal consumed
        for i in range(100_000):
            consumed += 1
            yield f"doc-{i}", short_text(i)

    async def main(ac: nlpd.AsyncClient) -> list[str]:
        ids = []
        stream = ac.analyze_stream(texts(), language="de", timeout=120)
        async for r in stream:
            ids.append(r.id)
            if len(ids) == 20:
                break
        await stream.aclose()  # type: ignore[attr-defined]
        return ids

    assert run(main, server.address) == [f"doc-{i}" for i in range(20)]
    assert consumed < 20_000, f"{consumed} texts consumed for 20 responses"


def test_stream_refuses_a_single_str_at_once(server: Server) -> None:
    async def main(ac: nlpd.AsyncClient) -> None:
        for one_text in ("some text", b"some bytes"):
            with pytest.raises(TypeError, match=r"not one text: pass \[text\]"):
                ac.analyze_stream(one_text)  # type: ignore[arg-type]  # no await needed
        with pytest.raises(TypeError, match="expected str or"):
            [r async for r in ac.analyze_stream([42])]  # type: ignore[list-item]
        assert [r async for r in ac.analyze_stream([])] == []

    run(main, server.address)


def test_stream_iterable_error_reaches_caller(server: Server) -> None:
    def texts() -> Iterator[str]:
        yield "Eins."
        raise RuntimeError("source broke")

    async def main(ac: nlpd.AsyncClient) -> None:
        with pytest.raises(RuntimeError, match="source broke"):
            [r async for r in ac.analyze_stream(texts(), timeout=30)]
        assert (await ac.analyze("Noch da.")).document.text == "Noch da."

    run(main, server.address)


def test_many_tasks_share_one_client(server: Server) -> None:
    async def main(ac: nlpd.AsyncClient) -> list[str]:
        responses = await asyncio.gather(*(ac.analyze(short_text(i)) for i in range(50)))
        return [r.document.text for r in responses]

    assert run(main, server.address) == [short_text(i) for i in range(50)]


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A plaintext server with --auth_tokens (the server warns; tokens still apply)."""
    tokens = tmp_path_factory.mktemp("tokens") / "tokens"
    tokens.write_text("reader-a1\nadmin-b2 admin\n")
    tokens.chmod(0o600)
    srv = start_server(f"--auth_tokens={tokens}")
    yield srv
    stop_server(srv)


@pytest.mark.parametrize(
    ("token", "analyze_error", "admin_error"),
    [
        (None, nlpd.UnauthenticatedError, nlpd.UnauthenticatedError),
        ("wrong", nlpd.UnauthenticatedError, nlpd.UnauthenticatedError),
        ("reader-a1", None, nlpd.PermissionDeniedError),
        ("admin-b2", None, None),
    ],
)
def test_token_on_a_plaintext_channel(
    token_server: Server,
    token: str | None,
    analyze_error: type[nlpd.Error] | None,
    admin_error: type[nlpd.Error] | None,
) -> None:
    async def check(call: Callable[[], Awaitable[object]], error: type[nlpd.Error] | None) -> None:
        if error is None:
            await call()
        else:
            with pytest.raises(error):
                await call()

    async def main() -> None:
        async with nlpd.AsyncClient(token_server.address, timeout=10, token=token) as ac:
            await check(lambda: ac.analyze(GERMAN), analyze_error)
            await check(ac.plugins, analyze_error)

            async def stream() -> None:
                assert [r.id async for r in ac.analyze_stream(["Eins."])] == ["0"]

            await check(stream, analyze_error)
            await check(ac.reload_plugins, admin_error)

    asyncio.run(main())


def test_tls_with_a_token(tls_server: Server, pki: Path) -> None:  # noqa: F811
    async def main() -> None:
        async with nlpd.AsyncClient(
            tls_server.address, timeout=10, tls_ca=pki / "ca.pem", token=READER
        ) as ac:
            assert (await ac.analyze(GERMAN, ["entities"])).entities.entities
            assert [r.id async for r in ac.analyze_stream(["Eins.", "Zwei."])] == ["0", "1"]
            with pytest.raises(nlpd.PermissionDeniedError):
                await ac.reload_plugins()
        async with nlpd.AsyncClient(tls_server.address, tls_ca=pki / "ca.pem", token=ADMIN) as ac:
            assert list((await ac.reload_plugins()).changes) == []
        plain = nlpd.AsyncClient(tls_server.address, timeout=10, token=READER, retries=0)
        async with plain as ac:
            with pytest.raises(nlpd.UnavailableError):  # plaintext to a TLS server
                await ac.analyze(GERMAN)

    asyncio.run(main())


def test_tls_and_token_arguments_match_the_blocking_client(tmp_path: Path) -> None:
    """Both clients build their channel with one helper: the same checks, the same
    metadata."""
    with pytest.raises(ValueError, match="go together"):
        nlpd.AsyncClient("127.0.0.1:1", tls_cert=tmp_path / "c.pem")
    with pytest.raises(ValueError, match="go together"):
        nlpd.Client("127.0.0.1:1", tls_cert=tmp_path / "c.pem")
    with pytest.raises(FileNotFoundError):
        nlpd.AsyncClient("127.0.0.1:1", tls_ca=tmp_path / "missing.pem")

    async def main() -> None:
        async with nlpd.AsyncClient("127.0.0.1:1", token="t0k") as ac:
            assert ac._metadata == (("authorization", "Bearer t0k"),)
        with nlpd.Client("127.0.0.1:1", token="t0k") as c:
            assert c._metadata == ac._metadata

    asyncio.run(main())


def test_close_cancels_a_stream(server: Server) -> None:
    async def main() -> float:
        ac = nlpd.AsyncClient(server.address)
        stream = ac.analyze_stream(short_text(i) for i in range(1_000_000))
        first = await anext(stream)
        assert first.id == "0"
        start = time.monotonic()
        await ac.close()
        with pytest.raises(nlpd.Error, match="was closed") as closed:
            async for _ in stream:
                pass
        assert closed.value.code == grpc.StatusCode.CANCELLED
        return time.monotonic() - start

    assert run_plain(main) < 10


def run_plain(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(main())
