"""Hand-encoded protobuf bytes, for requests that the generated classes would refuse
to build (invalid UTF-8, malformed fields)."""

from __future__ import annotations


def varint(n: int) -> bytes:
    """A base-128 varint."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def len_field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload
