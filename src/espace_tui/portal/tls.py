"""The TLS context of the portal's connections, made in a thread as soon as a command that
talks to the portal starts: reading the bundle of certificate authorities takes about 40 ms,
which then overlaps with the start of the program instead of adding to it (OpenSSL reads it
without holding Python's lock). Verification stays on: it is the context httpx makes for
`verify=True` (its `SSL_CERT_FILE` and `SSL_CERT_DIR` variables, else certifi's bundle).
"""

from __future__ import annotations

import os
import ssl
import threading

_made: ssl.SSLContext | None = None
_thread: threading.Thread | None = None
_lock = threading.Lock()


def _build() -> ssl.SSLContext:
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _make() -> None:
    global _made
    try:
        _made = _build()
    except Exception:  # said by `context()`, which builds it again where the caller sees it
        _made = None


def prepare() -> None:
    """Start making the context in the background (once)."""
    global _thread
    with _lock:
        if _thread is None and _made is None:
            _thread = threading.Thread(target=_make, name="tls-context", daemon=True)
            _thread.start()


def context() -> ssl.SSLContext:
    """The context: the one `prepare` made (waiting for it), else made now."""
    global _made, _thread
    with _lock:
        thread, _thread = _thread, None
    if thread is not None:
        thread.join()
    made = _made
    if made is None:
        made = _made = _build()
    return made
