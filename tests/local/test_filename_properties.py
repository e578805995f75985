"""Property tests of the name a PDF is saved under: whatever `Content-Disposition` the server
sends, the name is one file in the download folder, that every file system (Windows too) takes,
with room left for ` (1)` and a temporary suffix."""

from __future__ import annotations

import string
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from espace_tui.core.formats import has_controls
from espace_tui.core.model import Invoice, PdfFile
from espace_tui.local import downloads
from espace_tui.portal import pages

PDF = b"%PDF-1.4\n%%EOF\n"
INVOICE = Invoice(id="1", number="651")
NAME_MAX_BYTES = 255
"""What ext4, btrfs, APFS, NTFS (in UTF-16 units, fewer) allow for one name."""
RESERVE_BYTES = 40
"""Left for ` (999)` and a temporary suffix."""
RESERVED = (
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{prefix}{digit}" for prefix in ("COM", "LPT") for digit in "123456789"}
    | {f"{prefix}{digit}" for prefix in ("COM", "LPT") for digit in "¹²³"}
)
"""Windows device names (Microsoft, "Naming Files, Paths, and Namespaces"): a file named so,
with any extension, is the device."""
WIDE = {1: "a", 2: "é", 3: "€", 4: "😀"}
"""A character of each UTF-8 width."""

# --- Server names and headers ----------------------------------------------------------------

_RESERVED_NAMES = st.tuples(
    st.sampled_from(sorted(RESERVED)),
    st.sampled_from([str.upper, str.lower, str.title]),
    st.sampled_from(["", ".pdf", ".PDF", ".txt.pdf", " .pdf", ".tar.gz", " ", ".", " .x.pdf"]),
).map(lambda parts: parts[1](parts[0]) + parts[2])
_LONG_NAMES = st.tuples(
    st.sampled_from(sorted(WIDE)),
    st.integers(40, 400),
    st.sampled_from(["", ".pdf", "x.pdf", ".txt"]),
).map(lambda parts: WIDE[parts[0]] * parts[1] + parts[2])
_MIXED_LONG = st.text(
    alphabet=st.sampled_from(["a", "é", "€", "日", "😀", "𝄞", " ", ".", "Ж"]),
    min_size=60,
    max_size=300,
).map(lambda text: text + ".pdf")
SERVER_NAMES = st.one_of(
    st.sampled_from(
        [
            "Facture_651.pdf",
            "../../etc/passwd",
            "../../../.bashrc",
            "..",
            ".",
            "...",
            ".pdf",
            " .pdf",
            ".hidden.pdf",
            "a\x00b.pdf",
            "\x00",
            "..\\..\\Windows\\System32\\evil.pdf",
            "C:\\Users\\x.pdf",
            "C:x.pdf",
            "/etc/cron.d/x.pdf",
            "\\\\server\\share\\x.pdf",
            "x.pdf/",
            "x.pdf\\",
            "\u202efdp.exe",
            "\x1b[2J\x1b]0;title\x07.pdf",
            "a\r\nb.pdf",
            "a\tb.pdf",
            "name .pdf",
            "name..pdf",
            '<>:"|?*.pdf',
            "\u2028\u2029.pdf",
            "\ufeff.pdf",
        ]
    ),
    _RESERVED_NAMES,
    _LONG_NAMES,
    _MIXED_LONG,
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=40),
)


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def headers(draw: st.DrawFn) -> str:
    name = draw(SERVER_NAMES)
    kind = draw(st.sampled_from(["attachment", "inline", "ATTACHMENT", "", "form-data"]))
    charset = draw(st.sampled_from(["UTF-8", "utf-8", "ISO-8859-1", "bogus", ""]))
    encoding = "latin-1" if charset == "ISO-8859-1" else "utf-8"
    extended = f"{charset}'{draw(st.sampled_from(['', 'fr']))}'" + quote(
        name.encode(encoding, "replace"), safe=""
    )
    params = draw(
        st.lists(
            st.sampled_from(
                [
                    f"filename={_quoted(name)}",
                    f"filename={name}",
                    f"filename*={extended}",
                    f"FILENAME*={extended}",
                    "filename=fallback.pdf",
                    f'filename="{name}"',
                    "size=123",
                ]
            ),
            min_size=1,
            max_size=3,
        )
    )
    return "; ".join([kind, *params])


HEADERS = st.one_of(headers(), st.text(), st.none())

# --- The properties --------------------------------------------------------------------------


def assert_safe_name(name: str) -> None:
    assert isinstance(name, str)
    for bad in ("/", "\\", "\x00"):
        assert bad not in name, f"{name!r} holds {bad!r}"
    assert not any(unicodedata.category(char) == "Cc" for char in name), repr(name)
    assert not has_controls(name), repr(name)
    assert not set('<>:"|?*') & set(name), f"{name!r}: Windows refuses it"
    assert name not in (".", "..")
    assert not name.startswith("."), f"{name!r} is hidden"
    assert name.endswith(".pdf"), repr(name)
    size = len(name.encode("utf-8"))
    assert size <= NAME_MAX_BYTES - RESERVE_BYTES, (
        f"{size} bytes: no room for ' (1)' and a temporary suffix in {NAME_MAX_BYTES} bytes"
    )
    stem = name[: -len(".pdf")]
    device = stem.split(".")[0].rstrip(" ").upper()
    assert device not in RESERVED, f"{name!r} is the Windows device {device}"


@settings(max_examples=600, deadline=None)
@given(header=HEADERS)
def test_the_saved_name_is_safe_whatever_the_header(header: str | None) -> None:
    server_name = pages.pdf_filename(header)
    assert server_name is None or (isinstance(server_name, str) and server_name.strip())
    name = downloads.pdf_filename(PdfFile(content=PDF, server_filename=server_name), INVOICE)
    assert_safe_name(name)


@settings(max_examples=300, deadline=None)
@given(server_name=st.one_of(SERVER_NAMES, st.none()))
def test_the_saved_name_is_safe_whatever_the_servers_name(server_name: str | None) -> None:
    name = downloads.pdf_filename(PdfFile(content=PDF, server_filename=server_name), INVOICE)
    assert_safe_name(name)


@settings(max_examples=200, deadline=None)
@given(name=SERVER_NAMES, quoting=st.sampled_from(["quoted", "extended"]))
def test_the_servers_name_is_read_whole_from_the_header(name: str, quoting: str) -> None:
    """RFC 6266: a quoted `filename` or an RFC 5987 `filename*` gives the name as sent."""
    if quoting == "quoted":
        header = f"attachment; filename={_quoted(name)}"
    else:
        header = f"attachment; filename=\"fallback.pdf\"; filename*=UTF-8''{quote(name, safe='')}"
    assert pages.pdf_filename(header) == (name.strip() or None)


SAFE_STEMS = (
    st.lists(
        st.text(
            alphabet=string.ascii_letters + string.digits + "_-éèàçÉœ", min_size=1, max_size=12
        ),
        min_size=1,
        max_size=4,
    )
    .map(" ".join)
    .filter(lambda stem: stem.split(".")[0].upper() not in RESERVED)
)


@settings(max_examples=150, deadline=None)
@given(stem=SAFE_STEMS, quoting=st.sampled_from(["quoted", "extended", "plain"]))
def test_a_plain_server_name_is_kept(stem: str, quoting: str) -> None:
    """README: PDFs are saved under the server's name, made safe; a safe name stays as it is."""
    name = f"{stem}.pdf"
    header = {
        "quoted": f"attachment; filename={_quoted(name)}",
        "extended": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
        "plain": f"attachment; filename={name}",
    }[quoting]
    server_name = pages.pdf_filename(header)
    assert downloads.pdf_filename(PdfFile(content=PDF, server_filename=server_name), INVOICE) == (
        name
    )


@settings(max_examples=25, deadline=None)
@given(server_name=st.one_of(_LONG_NAMES, _RESERVED_NAMES, _MIXED_LONG, SERVER_NAMES))
def test_the_pdf_is_saved_in_the_folder_under_that_name(server_name: str) -> None:
    """On this machine's file system: saved (not "File name too long"), in the folder itself,
    and saved again it is found there, not written twice."""
    pdf = PdfFile(content=PDF, server_filename=server_name)
    with tempfile.TemporaryDirectory(prefix="espace-tui-names-") as folder:
        root = Path(folder).resolve()
        saved = downloads.save_pdf(pdf, INVOICE, root)
        assert saved.path.parent == root
        assert saved.path.name == downloads.pdf_filename(pdf, INVOICE)
        assert saved.path.read_bytes() == PDF
        again = downloads.save_pdf(pdf, INVOICE, root)
        assert again.path == saved.path and again.already_there
        assert [entry.name for entry in root.iterdir()] == [saved.path.name]
