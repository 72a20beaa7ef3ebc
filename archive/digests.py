"""Digests named by algorithm: sha256 addresses content, SM3 (GB/T 32905) for Chinese fixity."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

ALGORITHMS = ("sha256", "sm3")


def digest_both(chunks: Iterable[bytes]) -> tuple[str, str]:
    """Return ("sha256:…", "sm3:…") over the chunks, in one pass."""
    sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
    for chunk in chunks:
        sha.update(chunk)
        sm3.update(chunk)
    return f"sha256:{sha.hexdigest()}", f"sm3:{sm3.hexdigest()}"


def bare(digest: str) -> str:
    """The hex part of "sha256:abc…"."""
    return digest.split(":", 1)[1] if ":" in digest else digest
