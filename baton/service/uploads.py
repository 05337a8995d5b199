"""Receive a multipart upload straight to disk, hashing as it arrives.

Starlette's own form parsing spools the whole file to a temporary file before the handler
sees it, so a limit could only be checked after the fact and every byte would be written
twice. Here the body streams through python-multipart's parser into the media folder; the
size limit stops the transfer the moment it is crossed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

# Plain form fields (such as the title) are small; anything larger is not a title.
_MAX_FIELD_BYTES = 4096


class UploadError(ValueError):
    """An upload refused before it reached the library; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass
class ReceivedFile:
    """The file part of an upload, on disk under a name of Baton's choosing."""

    path: Path
    filename: str
    size: int
    sha256: str


@dataclass
class ReceivedForm:
    file: ReceivedFile | None
    fields: dict[str, str] = field(default_factory=dict)


class _FormWriter:
    """Callbacks for the parser: the ``file`` part goes to disk, other parts to ``fields``."""

    def __init__(self, incoming: Path, max_bytes: int) -> None:
        self.incoming = incoming
        self.max_bytes = max_bytes
        self.fields: dict[str, str] = {}
        self.file: ReceivedFile | None = None
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[str, bytes] = {}
        self._name = ""
        self._filename: str | None = None
        self._value = bytearray()
        self._out: IO[bytes] | None = None
        self._hash = hashlib.sha256()
        self._size = 0
        self._path: Path | None = None

    def on_part_begin(self) -> None:
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = self._header_value
        self._header_field = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        self._filename = raw_filename.decode("utf-8", "replace") if raw_filename else None
        self._value = bytearray()
        if self._name == "file" and self._filename is not None:
            if self.file is not None or self._out is not None:
                raise UploadError(422, "Send one file per upload, in the form field 'file'.")
            self._path = self.incoming / f"{uuid.uuid4()}.part"
            self._out = self._path.open("wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._out is not None:
            self._size += len(chunk)
            if self._size > self.max_bytes:
                raise too_large(self.max_bytes)
            self._hash.update(chunk)
            self._out.write(chunk)
        elif len(self._value) + len(chunk) <= _MAX_FIELD_BYTES:
            self._value += chunk
        else:
            raise UploadError(422, f"The form field '{self._name}' is too long.")

    def on_part_end(self) -> None:
        if self._out is not None and self._path is not None:
            self._out.close()
            self._out = None
            filename = Path(self._filename or "recording").name
            self.file = ReceivedFile(self._path, filename, self._size, self._hash.hexdigest())
        elif self._name:
            self.fields[self._name] = self._value.decode("utf-8", "replace")

    def discard(self) -> None:
        """Remove whatever reached the disk: the upload is not going into the library."""
        if self._out is not None:
            self._out.close()
            self._out = None
        for path in (self._path, self.file.path if self.file else None):
            if path is not None:
                path.unlink(missing_ok=True)


async def receive_form(
    body: AsyncIterator[bytes], content_type: str | None, incoming: Path, max_bytes: int
) -> ReceivedForm:
    """Parse a ``multipart/form-data`` body, writing the ``file`` field into ``incoming``."""
    media_type, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise UploadError(
            415,
            "Send the recording as multipart/form-data, with the file in a field named 'file'.",
        )
    incoming.mkdir(parents=True, exist_ok=True)
    writer = _FormWriter(incoming, max_bytes)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": writer.on_part_begin,
            "on_header_field": writer.on_header_field,
            "on_header_value": writer.on_header_value,
            "on_header_end": writer.on_header_end,
            "on_headers_finished": writer.on_headers_finished,
            "on_part_data": writer.on_part_data,
            "on_part_end": writer.on_part_end,
        },
    )
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        writer.discard()
        raise
    except MultipartParseError as error:
        writer.discard()
        raise UploadError(
            400, f"The upload is not a well-formed multipart form: {error}."
        ) from error
    except BaseException:
        writer.discard()
        raise
    return ReceivedForm(writer.file, writer.fields)


def too_large(max_bytes: int) -> UploadError:
    """The one refusal for a file over the limit, whether seen in a header or mid-stream."""
    return UploadError(
        413,
        f"The file is larger than the {_human_bytes(max_bytes)} allowed. Split the recording "
        "into shorter parts, or ask your administrator to raise BATON_MAX_UPLOAD_BYTES.",
    )


def _human_bytes(size: int) -> str:
    amount = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if amount < 1024:
            return f"{amount:.0f} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} TiB"
