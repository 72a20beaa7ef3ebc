"""A packet as a BagIt bag (RFC 8493) and a ZIP of it, byte for byte the same for the same files.

The bag is written here rather than by `bagit.make_bag` (which stamps today's date, moves
files in place and changes the working directory); `bagit` validates it, in the tests and
in `check_bag`, so the bag is what the reference implementation accepts.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from packets.containers import zip_entries

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bag_files(payload: dict[str, bytes], info: list[tuple[str, str]]) -> dict[str, bytes]:
    """Every file of the bag, by path inside it: data/…, manifests, bagit.txt, bag-info.txt."""
    files = {f"data/{name}": data for name, data in sorted(payload.items())}
    oxum = f"{sum(len(d) for d in payload.values())}.{len(payload)}"
    manifest = "".join(f"{_sha(d)}  {p}\n" for p, d in files.items())
    bag_info = "".join(f"{k}: {v}\n" for k, v in [*info, ("Payload-Oxum", oxum)])
    tags = {"bagit.txt": BAGIT_TXT.encode(), "bag-info.txt": bag_info.encode(),
            "manifest-sha256.txt": manifest.encode()}
    tagmanifest = "".join(f"{_sha(d)}  {p}\n" for p, d in sorted(tags.items()))
    return {**files, **tags, "tagmanifest-sha256.txt": tagmanifest.encode()}


def write_bag(folder: Path, files: dict[str, bytes]) -> Path:
    """Write the bag's files to `folder`, replacing an earlier bag written there."""
    if folder.exists():
        if not (folder / "bagit.txt").exists():
            raise FileExistsError(f"{folder} exists and is not a bag")
        shutil.rmtree(folder)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def zip_bag(name: str, files: dict[str, bytes], when: datetime) -> bytes:
    """The bag in a ZIP under a top folder `name`, entries sorted, one fixed time."""
    return zip_entries([(f"{name}/{rel}", files[rel]) for rel in sorted(files)], when)


def read_bag_info(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "bag-info.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def check_bag(path: Path) -> tuple[list[str], dict[str, str], Path | None]:
    """Validate a bag folder or a ZIP of one; (problems, bag-info, folder it was read from).

    Every problem bagit finds is listed (it collects them all). A ZIP is unpacked into a
    temporary folder the caller removes (`folder.parent`).
    """
    import bagit

    folder = path
    if path.is_file():
        tmp = Path(tempfile.mkdtemp(prefix="fulian-bag-"))
        try:
            with zipfile.ZipFile(path) as z:
                z.extractall(tmp)
        except zipfile.BadZipFile as e:
            return [f"不是有效的 ZIP 文件：{e}"], {}, tmp
        tops = [p for p in tmp.iterdir() if p.is_dir()]
        if len(tops) != 1:
            return ["ZIP 中应只有一个资料包文件夹"], {}, tmp
        folder = tops[0]
    try:
        bag = bagit.Bag(str(folder))
        bag.validate(processes=1)
    except bagit.BagValidationError as e:
        details = [str(d) for d in getattr(e, "details", [])] or [str(e.message)]
        return details, _info(folder), folder
    except bagit.BagError as e:
        return [str(e)], {}, folder
    return [], _info(folder), folder


def _info(folder: Path) -> dict[str, str]:
    try:
        return read_bag_info(folder)
    except (OSError, UnicodeDecodeError):
        return {}
