"""How both clients (:class:`nlpd.Client`, :class:`nlpd.AsyncClient`) open their channel.

One place turns the constructor arguments (target, TLS files or credentials, token,
retries, extra options) into a :class:`ChannelConfig`, which opens a blocking
(``grpc``) or an asyncio (``grpc.aio``) channel with the same credentials, options and
call metadata.

Replicas and retries are gRPC's own, set in the ``grpc.service_config`` channel option:

* load balancing ``round_robin`` with client-side health checking (gRFC A17, the
  server's ``grpc.health.v1.Health/Watch``): a target that names several servers
  (``"ipv4:10.0.0.1:50051,10.0.0.2:50051"``) or a DNS name that resolves to several
  (``"dns:///nlpd.default.svc:50051"``) spreads calls over every replica that is
  connected and SERVING; one that goes down or is shutting down (NOT_SERVING) gets no
  new calls until it is back. A single address behaves as before.
* a ``retryPolicy`` (gRFC A6) for the idempotent unary methods
  ``nlpd.v1.AnalysisService/Analyze`` and ``ListPlugins`` only: an attempt that failed
  with ``UNAVAILABLE`` (a replica went away) is sent again, to the next replica.
  ``AnalyzeStream`` and the ``nlpd.v1.Admin`` methods (not idempotent) are never
  retried. A call's deadline covers all its attempts and backoffs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import grpc
import grpc.aio

__all__ = [
    "DEFAULT_OPTIONS",
    "DEFAULT_RETRIES",
    "RETRIED_METHODS",
    "ChannelConfig",
    "RetryPolicy",
    "channel_config",
]

# A response carries the whole document model (every token's span), which for a text
# near the server's 1 MiB default limit is larger than gRPC's default 4 MiB receive cap.
DEFAULT_OPTIONS: tuple[tuple[str, Any], ...] = (
    ("grpc.max_receive_message_length", 256 * 1024 * 1024),
)

# The methods the retry policy covers: unary and idempotent.
RETRIED_METHODS: tuple[tuple[str, str], ...] = (
    ("nlpd.v1.AnalysisService", "Analyze"),
    ("nlpd.v1.AnalysisService", "ListPlugins"),
)

# gRPC caps a retry policy's maxAttempts at 5 (gRFC A6): the first try and 4 retries.
MAX_RETRIES = 4
DEFAULT_RETRIES = 4

# gRPC keeps a call's request in memory until the call is committed, so that it can be
# sent again; a request over this size is not retried. gRPC's default is 256 KiB, less
# than the server's default text limit (1 MiB): raised so that any accepted text can be
# retried.
_RETRY_BUFFER_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class RetryPolicy:
    """gRPC's retry policy for ``Analyze`` and ``ListPlugins`` on ``UNAVAILABLE``.

    An attempt that fails with ``UNAVAILABLE`` before the server answered anything
    (server not started yet or restarting, connection refused or lost, an isolated
    plugin's process lost) is sent again, up to ``retries`` times, after a delay of
    ``min(initial_backoff * backoff_multiplier ** (n - 1), max_backoff)`` seconds
    before retry ``n`` (gRPC varies each delay by up to ±20 %). The defaults wait about
    0.2, 0.4, 0.8 and 1.6 s: a server that is back within about 3 s is reached, one
    that is not gives :class:`nlpd.UnavailableError` after about 3 s. The call's
    deadline (``timeout``) covers all attempts and delays: when it passes first, the
    call fails with :class:`nlpd.DeadlineExceededError`. Other status codes are never
    retried.

    Attributes:
        retries: retries after the first attempt, 0 to 4 (gRPC makes at most 5
            attempts); 0 disables retrying.
        initial_backoff: the delay before the first retry, seconds (> 0).
        max_backoff: the longest delay, seconds (>= ``initial_backoff``).
        backoff_multiplier: growth of the delay per retry (> 0).
    """

    retries: int = DEFAULT_RETRIES
    initial_backoff: float = 0.2
    max_backoff: float = 2.0
    backoff_multiplier: float = 2.0

    def __post_init__(self) -> None:
        if isinstance(self.retries, bool) or not isinstance(self.retries, int):
            raise TypeError(f"retries must be an int, got {type(self.retries).__name__}")
        if not 0 <= self.retries <= MAX_RETRIES:
            raise ValueError(
                f"retries must be between 0 and {MAX_RETRIES} (gRPC makes at most "
                f"{MAX_RETRIES + 1} attempts), got {self.retries}"
            )
        if not self.initial_backoff > 0 or not self.backoff_multiplier > 0:
            raise ValueError("initial_backoff and backoff_multiplier must be > 0")
        if not self.max_backoff >= self.initial_backoff:
            raise ValueError("max_backoff must be >= initial_backoff")

    def service_config(self) -> str:
        """The ``grpc.service_config`` JSON: round-robin over healthy replicas, and this
        retry policy unless ``retries`` is 0."""
        config: dict[str, Any] = {
            "loadBalancingConfig": [{"round_robin": {}}],
            # "": the server's overall health, NOT_SERVING from the start of its
            # shutdown.
            "healthCheckConfig": {"serviceName": ""},
        }
        if self.retries:
            config["methodConfig"] = [
                {
                    "name": [{"service": s, "method": m} for s, m in RETRIED_METHODS],
                    "retryPolicy": {
                        "maxAttempts": self.retries + 1,
                        "initialBackoff": _duration(self.initial_backoff),
                        "maxBackoff": _duration(self.max_backoff),
                        "backoffMultiplier": self.backoff_multiplier,
                        "retryableStatusCodes": ["UNAVAILABLE"],
                    },
                }
            ]
        return json.dumps(config, separators=(",", ":"))

    def channel_options(self) -> list[tuple[str, Any]]:
        """Channel options that carry the service config and this policy."""
        if not self.retries:
            return [("grpc.enable_retries", 0), ("grpc.service_config", self.service_config())]
        # While a subchannel cannot connect, gRPC fails calls at once and tries to
        # connect again only after its reconnect backoff (1 s, growing to 120 s by
        # default). Retries that come sooner would fail the same way, so the reconnect
        # backoff starts at the retry backoff and grows no further than it.
        initial_ms = max(int(self.initial_backoff * 1000), 100)
        max_ms = max(int(self.max_backoff * 1000), initial_ms)
        return [
            ("grpc.enable_retries", 1),
            ("grpc.service_config", self.service_config()),
            ("grpc.per_rpc_retry_buffer_size", _RETRY_BUFFER_BYTES),
            ("grpc.initial_reconnect_backoff_ms", initial_ms),
            ("grpc.max_reconnect_backoff_ms", max_ms),
        ]


def _duration(seconds: float) -> str:
    """A protobuf JSON Duration ("0.25s")."""
    return f"{seconds:.9f}".rstrip("0").rstrip(".") + "s"


@dataclass(frozen=True)
class ChannelConfig:
    """Everything needed to open a channel to the server and to authorize calls on it.

    Attributes:
        target: the gRPC target string.
        credentials: TLS credentials, or ``None`` for a plaintext channel.
        options: channel options, the client's defaults first, the caller's last (gRPC
            takes the last value of a repeated key).
        metadata: to send with every call (the bearer token), possibly empty.
    """

    target: str
    credentials: grpc.ChannelCredentials | None
    options: tuple[tuple[str, Any], ...]
    metadata: tuple[tuple[str, str], ...]

    def open(self) -> grpc.Channel:
        """A blocking channel (for :class:`nlpd.Client`)."""
        if self.credentials is None:
            return grpc.insecure_channel(self.target, options=self.options)
        return grpc.secure_channel(self.target, self.credentials, options=self.options)

    def open_aio(self) -> grpc.aio.Channel:
        """An asyncio channel (for :class:`nlpd.AsyncClient`); call in the event loop
        that will use it."""
        if self.credentials is None:
            return grpc.aio.insecure_channel(self.target, options=self.options)
        return grpc.aio.secure_channel(self.target, self.credentials, options=self.options)


def _read(path: str | os.PathLike[str] | None) -> bytes | None:
    if path is None:
        return None
    with open(path, "rb") as f:
        return f.read()


def channel_config(
    target: str,
    *,
    credentials: grpc.ChannelCredentials | None = None,
    options: Sequence[tuple[str, Any]] = (),
    token: str | None = None,
    tls_ca: str | os.PathLike[str] | None = None,
    tls_cert: str | os.PathLike[str] | None = None,
    tls_key: str | os.PathLike[str] | None = None,
    retries: int | RetryPolicy = DEFAULT_RETRIES,
) -> ChannelConfig:
    """The channel settings for the clients' constructor arguments.

    ``credentials`` wins over the ``tls_*`` files; with neither the channel is
    plaintext. ``token`` becomes ``authorization: Bearer <token>`` metadata (also on a
    plaintext channel). ``retries`` is a :class:`RetryPolicy` or its number of retries
    (with the default backoff). The caller's ``options`` come last and so override the
    defaults, including ``grpc.service_config``.

    Raises:
        ValueError: only one of ``tls_cert`` and ``tls_key``, or a bad retry count.
        TypeError: ``retries`` is neither an int nor a :class:`RetryPolicy`.
        OSError: a ``tls_*`` file cannot be read.
    """
    policy = retries if isinstance(retries, RetryPolicy) else RetryPolicy(retries=retries)
    if credentials is None and (tls_ca or tls_cert or tls_key):
        if bool(tls_cert) != bool(tls_key):
            raise ValueError("tls_cert and tls_key go together")
        credentials = grpc.ssl_channel_credentials(
            root_certificates=_read(tls_ca),
            private_key=_read(tls_key),
            certificate_chain=_read(tls_cert),
        )
    metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {token}"),) if token else ()
    opts = (*DEFAULT_OPTIONS, *policy.channel_options(), *options)
    return ChannelConfig(target, credentials, tuple(opts), metadata)
