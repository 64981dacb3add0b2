"""A multipart request body generated while it is read, counting what the server took from it."""

from __future__ import annotations

import uuid

MiB = 1024 * 1024


class StreamedUpload:
    """`size` bytes of file content under field `file`, after the form's other `fields`, produced on
    the fly: nothing of it exists before the server reads it, and `taken` says how much it read."""

    def __init__(self, name: str, size: int, fields: dict[str, str] | None = None, fill: bytes = b"0") -> None:
        self.boundary = uuid.uuid4().hex
        head = b"".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in (fields or {}).items()
        )
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.head = head
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.size = size
        self.fill = fill
        self.length = len(head) + size + len(self.tail)
        self.taken = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.length - self.taken
        out = bytearray()
        while n > 0 and self.taken < self.length:
            at = self.taken
            if at < len(self.head):
                piece = self.head[at : at + n]
            elif at < len(self.head) + self.size:
                piece = self.fill * min(n, len(self.head) + self.size - at)
            else:
                start = at - len(self.head) - self.size
                piece = self.tail[start : start + n]
            out += piece
            self.taken += len(piece)
            n -= len(piece)
        return bytes(out)

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit if limit and limit > 0 else 65536)

    def environ(self) -> dict[str, str | object]:
        """The WSGI keys that make a test client send this body instead of its own."""
        return {
            "wsgi.input": self,
            "CONTENT_LENGTH": str(self.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={self.boundary}",
        }


def post_streamed(client, path: str, body: StreamedUpload, **headers):
    """POST `body` through the full middleware stack of a Django test client."""
    return client.generic("POST", path, b"", headers=headers or None, **body.environ())
