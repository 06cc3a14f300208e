"""Uploaded files: their checksum, read in chunks so a large file never sits in memory whole."""

import hashlib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


def sha256_of(upload) -> str:
    """The SHA-256 of an uploaded file; the file is left at its start for whoever stores it."""
    return _hexdigests(upload, "sha256")[0]


def checksums_of(upload) -> tuple[str, str]:
    """The SHA-256 (the portal's own checks) and the SHA-512 (what OParl's File names) of an uploaded file,
    in one read; the file is left at its start."""
    sha256, sha512 = _hexdigests(upload, "sha256", "sha512")
    return sha256, sha512


def _hexdigests(upload, *algorithms: str) -> list[str]:
    upload.seek(0)
    digests = [hashlib.new(name) for name in algorithms]
    for chunk in upload.chunks():
        for digest in digests:
            digest.update(chunk)
    upload.seek(0)
    return [digest.hexdigest() for digest in digests]


# The longest file name the portal keeps: the original_name columns hold 200 characters. Django itself cuts
# an uploaded name to 255 (its basename only, without a folder), which is still too long for them.
FILE_NAME_LENGTH = 200


def shortened_name(name: str, limit: int = FILE_NAME_LENGTH) -> str:
    """The file name as given when it fits; otherwise its start, an ellipsis and the extension, `limit`
    characters in all, so that a long name is kept recognisably and its type stays what it was."""
    name = name.strip()
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) + 2 > limit // 2:
        # No extension worth keeping (or the "extension" is most of the name): cut the name itself.
        return name[: limit - 1].rstrip() + "…"
    return stem[: limit - len(extension) - 2].rstrip() + "…." + extension


class RequestSizeLimit(FileUploadHandler):
    """Refuses a multipart body past MAX_REQUEST_MEGABYTES before any of it is read, with Django's own
    "request too big" (answered 400): the per-file limit is checked only after a file has arrived."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        if content_length > settings.MAX_REQUEST_MEGABYTES * 1024 * 1024:
            raise RequestDataTooBig(f"Request body of {content_length} bytes exceeds MAX_REQUEST_MEGABYTES.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None
