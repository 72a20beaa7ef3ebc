"""Inputs an archive must reject or handle with care, each with the property it claims.

Used by the spine tests (reject reasons: empty, corrupt, encrypted, archive_bomb,
unsupported) and the demo inbox.
"""

from __future__ import annotations

import errno
import io
import random
import tempfile
import zipfile
import zlib
from pathlib import Path

from fulian.samples.office import write_docx, write_xlsx
from fulian.samples.pdfs import write_text_pdf
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec
from fulian.samples.zipraw import zip_bytes

GIB = 1 << 30
PASSWORD = "lixia2013"


def sample_spec() -> DocSpec:
    """A short, ordinary document used as the body of the bad inputs."""
    return DocSpec(
        title="文东街道妇联2013年11月工作信息",
        body=["11月份，文东街道妇联组织辖区妇女开展家庭教育讲座2次，参加群众80余人。",
              "下一步，街道妇联将继续做好妇女维权和儿童关爱工作。"],
        signature=["文东街道妇联", "2013年11月28日"])


def sample_sheet() -> SheetSpec:
    table = TableSpec(header=[["序号", "姓名", "金额（元）"]], rows=[[1, "王某", 500], [2, "李某", 800]])
    return SheetSpec(name="Sheet1", table=table, title="救助金发放表")


def write_empty(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def _docx_bytes(spec: DocSpec) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_docx(Path(tmp) / "x.docx", spec).read_bytes()


def write_truncated_docx(path: Path, spec: DocSpec | None = None) -> Path:
    """The first half of a real docx: a zip without its central directory."""
    data = _docx_bytes(spec or sample_spec())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: len(data) // 2])
    return path


def write_corrupt_pdf(path: Path, seed: int = 3) -> Path:
    """A PDF header followed by noise: no objects, no xref, no trailer."""
    noise = random.Random(seed).randbytes(4096)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + noise)
    return path


def write_encrypted_pdf(path: Path, spec: DocSpec | None = None, password: str = PASSWORD) -> Path:
    """A text PDF that cannot be opened without its user password."""
    return write_text_pdf(path, spec or sample_spec(), password=password)


def _office_encrypt(plain: Path, path: Path, password: str) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with plain.open("rb") as src:
        buf = io.BytesIO()
        OOXMLFile(src).encrypt(password, buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())  # an OLE container (EncryptionInfo + EncryptedPackage)
    return path


def write_encrypted_docx(path: Path, spec: DocSpec | None = None, password: str = PASSWORD) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        plain = write_docx(Path(tmp) / "plain.docx", spec or sample_spec())
        return _office_encrypt(plain, path, password)


def write_encrypted_xlsx(path: Path, sheet: SheetSpec | None = None, password: str = PASSWORD) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        plain = write_xlsx(Path(tmp) / "plain.xlsx", sheet or sample_sheet())
        return _office_encrypt(plain, path, password)


def _deflate_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of `size` zero bytes and their CRC, without compressing them all.

    After a full flush the compressor's output for another zero chunk is the same
    bytes again, so the stream is one chunk's output repeated, then a final block.
    """
    chunk = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(size, len(chunk))
    crc = 0
    for _ in range(whole):
        crc = zlib.crc32(chunk, crc)
    tail = comp.compress(bytes(rest)) + comp.flush(zlib.Z_FINISH)
    return block * whole + tail, zlib.crc32(bytes(rest), crc)


def write_zip_bomb(path: Path, inflated: int = GIB) -> Path:
    """A '.docx' whose word/document.xml inflates to `inflated` bytes (default 1 GiB, ~1 MB on disk)."""
    if inflated >= 1 << 32:
        raise ValueError("sizes of 4 GiB and more need ZIP64; not supported here")
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    small = comp.compress(types) + comp.flush()
    data, crc = _deflate_zeros(inflated)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes([("[Content_Types].xml", small, zlib.crc32(types), len(types)),
                                   ("word/document.xml", data, crc, inflated)]))
    return path


def write_mislabelled_pdf(path: Path, spec: DocSpec | None = None) -> Path:
    """Real PDF bytes under a name that says .docx."""
    with tempfile.TemporaryDirectory() as tmp:
        data = write_text_pdf(Path(tmp) / "x.pdf", spec or sample_spec()).read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def long_chinese_name(chars: int = 200, suffix: str = ".docx") -> str:
    """A file name of `chars` Chinese characters (as an upload or mail attachment may carry)."""
    base = "关于历下区泉城路街道妇联二〇一三年度妇女儿童工作开展情况及下一步工作打算的总结报告"
    return (base * (chars // len(base) + 1))[:chars] + suffix


def write_long_name_docx(folder: Path, chars: int = 200, spec: DocSpec | None = None) -> Path:
    """A valid docx with a very long Chinese name.

    Most Linux file systems cap a name at 255 bytes (85 Chinese characters in UTF-8):
    when `chars` does not fit, the longest name that does is used. Use
    `long_chinese_name` for channels that carry the name apart from the file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = _docx_bytes(spec or sample_spec())
    for n in (chars, 80):
        path = folder / long_chinese_name(n)
        try:
            path.write_bytes(data)
            return path
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
    raise OSError(errno.ENAMETOOLONG, "file system refuses even an 80-character name")


def write_random_bytes(path: Path, size: int = 8192, seed: int = 5) -> Path:
    """Random bytes (named .xlsx by the caller)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def write_plain_zip(path: Path) -> Path:
    """A valid ZIP holding ordinary files, not an Office package."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("说明.txt", "11月份活动照片及说明"), ("名单/参会人员.txt", "王某\n李某\n")):
            info = zipfile.ZipInfo(name, date_time=(2013, 12, 20, 9, 0, 0))
            zf.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return path


def write_bad_inputs(folder: Path) -> dict[str, Path]:
    """Every bad input in one folder, keyed by what it is."""
    f = folder
    return {
        "empty": write_empty(f / "空文件.docx"),
        "truncated_docx": write_truncated_docx(f / "截断的总结.docx"),
        "corrupt_pdf": write_corrupt_pdf(f / "损坏的报表.pdf"),
        "encrypted_pdf": write_encrypted_pdf(f / "加密的信息.pdf"),
        "encrypted_docx": write_encrypted_docx(f / "加密的总结.docx"),
        "encrypted_xlsx": write_encrypted_xlsx(f / "加密的台账.xlsx"),
        "zip_bomb": write_zip_bomb(f / "压缩炸弹.docx"),
        "mislabelled_pdf": write_mislabelled_pdf(f / "其实是PDF.docx"),
        "long_name_docx": write_long_name_docx(f),
        "random_xlsx": write_random_bytes(f / "乱码.xlsx"),
        "plain_zip": write_plain_zip(f / "活动照片.zip"),
    }
