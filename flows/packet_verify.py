"""Is a packet (a bag folder or its ZIP) intact, was it given out by this archive, is it current?

Three answers, kept apart: the bag validates (BagIt manifests); its bytes are those of a
packet recorded in the archive (and that stored copy is itself intact); the archive has not
changed since (else the packet is still authentic, only no longer the latest word).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from archive.packets_store import blob_intact, bonus_awards, packets_of, packets_with_digest
from archive.store import Archive
from flows.packet_inputs import packet_state
from packets.bag import check_bag


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)  # any one: not intact or not ours
    notes: list[str] = field(default_factory=list)  # facts for the reader
    current: bool = False  # the archive is still in the state the packet was built from

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_packet(archive: Archive, path: Path) -> Verdict:
    verdict = Verdict()
    if not path.exists():
        verdict.problems.append(f"找不到：{path}")
        return verdict
    problems, info, folder = check_bag(path)
    try:
        verdict.problems += [f"资料包校验失败：{p}" for p in problems]
        if info.get("Fulian-Year", "").isdigit():
            _match_record(archive, path, folder, info, verdict)
        elif not problems:
            verdict.problems.append("bag-info.txt 中没有 Fulian-Year / Fulian-Unit，不是本系统生成的资料包")
    finally:
        if path.is_file() and folder is not None:
            shutil.rmtree(folder.parent if folder.parent.name.startswith("fulian-bag-") else folder,
                          ignore_errors=True)
    return verdict


def _match_record(archive: Archive, path: Path, folder: Path | None, info: dict, verdict: Verdict) -> None:
    year, scope = int(info["Fulian-Year"]), info.get("Fulian-Unit", "")
    if path.is_file():
        records = packets_with_digest(archive, hashlib.sha256(path.read_bytes()).hexdigest())
    else:
        manifest = _manifest(folder) if folder else {}
        records = [r for r in packets_of(archive, year, scope) if r.manifest == manifest]
    if not records:
        verdict.problems.append(f"存档中没有与之一致的资料包记录（{year}年，{scope}）：可能被改动过，或不是本存档生成的")
        return
    first = records[0]
    verdict.notes.append(f"与存档中的资料包一致：{first.created_at[:19]} 由 {first.created_by} 生成"
                         f"（SHA-256 {first.sha256[:16]}…，共生成{len(records)}次）")
    if not blob_intact(archive, first):
        verdict.problems.append("存档中保存的该资料包副本已损坏或缺失")
    now = packet_state(archive, bonus_awards(archive, year))
    verdict.current = now == info.get("Fulian-Archive-State")
    if not verdict.current:
        verdict.notes.append("存档在生成后有变化（新收文件、审核决定或加分）：资料包仍是当时的原件，但已不是最新结果，可重新生成")


def _manifest(folder: Path) -> dict[str, str]:
    data = folder / "data"
    return {f"data/{p.relative_to(data).as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file()}
