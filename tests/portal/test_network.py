"""The client's sockets (`portal.network`, asyncio's streams under httpx) keep httpx's promises:
TLS verified, a certificate that fails verification refused with httpx's error, a connection
the server closed not reused, a server that does not answer timed out."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from espace_tui.portal.network import AsyncioTransport
from espace_tui.portal.session import LIMITS, transport_error

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, signed by its own key (a throwaway, for loopback)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]


async def answer_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One answer per connection, then the server closes it (without saying so)."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(ANSWER)
    await writer.drain()
    writer.close()


async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    await asyncio.sleep(30)


async def serve(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[str]:
    connections = []

    async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        await handler(reader, writer)  # type: ignore[misc]

    server = await asyncio.start_server(counted, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}/"
    finally:
        server.close()
        for writer in connections:
            writer.close()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed(tmp_path)


async def test_tls_with_a_trusted_certificate_works_and_a_closed_connection_is_not_reused(
    certificate: tuple[Path, Path],
) -> None:
    cert_file, key_file = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert_file, key_file)
    trusting = ssl.create_default_context(cafile=str(cert_file))
    async for url in serve(answer_then_close, server_side):
        transport = AsyncioTransport(limits=LIMITS, verify=trusting)
        async with httpx.AsyncClient(transport=transport) as client:
            for _time in range(3):  # each after the server closed the last connection
                answer = await client.get(url)
                assert answer.status_code == 200 and answer.text == "hello"
                await asyncio.sleep(0.05)


async def test_a_certificate_that_fails_verification_is_refused_in_plain_words(
    certificate: tuple[Path, Path],
) -> None:
    cert_file, key_file = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert_file, key_file)
    async for url in serve(answer_then_close, server_side):
        async with httpx.AsyncClient(transport=AsyncioTransport(limits=LIMITS)) as client:
            with pytest.raises(httpx.ConnectError) as refused:
                await client.get(url)
    assert transport_error(refused.value, "127.0.0.1").message.endswith(
        "its TLS certificate could not be verified."
    )


async def test_a_server_that_does_not_answer_times_out() -> None:
    async for url in serve(never_answer):
        transport = AsyncioTransport(limits=LIMITS)
        async with httpx.AsyncClient(transport=transport, timeout=0.2) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(url)


async def test_nothing_listening_is_a_connect_error() -> None:
    closed = ""
    async for url in serve(answer_then_close):
        closed = url  # once the loop is done, the server is closed: its port refuses
    async with httpx.AsyncClient(transport=AsyncioTransport(limits=LIMITS)) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(closed)
