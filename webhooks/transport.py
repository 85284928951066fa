"""One HTTP POST of a webhook message to an address that was checked beforehand.

urllib3 (the transport under requests) is used directly because it can connect to a given
IP address while sending the endpoint's own ``Host`` header and checking its TLS
certificate against the host name (``server_hostname``, ``assert_hostname``); requests
would resolve the name again, which is the gap DNS rebinding uses. Redirects are never
followed, nothing is retried here (the task owns retries), connect and read are timed out,
and at most 64 KiB of the answer is read.

Pure: no Django. Errors come back as a short code, never raised, and never as the raw
exception text, which can name internal addresses.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .targets import ResolvedTarget

MAX_RESPONSE_BYTES = 65_536

# The error codes; webhooks.models.AttemptError holds what the log says for each.
ERROR_CODES = frozenset(
    {"refused", "timeout", "tls", "network", "redirect", "status", "refused_target"}
)


@dataclass(frozen=True)
class PostResult:
    """What one attempt got: the HTTP ``status_code`` (None without an answer), the
    ``duration_ms`` from connecting to the end of the answer's headers, and an ``error``
    code of ``ERROR_CODES`` (empty on a 2xx)."""

    status_code: int | None
    duration_ms: int
    error: str

    @property
    def ok(self) -> bool:
        return self.error == ""


def post(
    resolved: ResolvedTarget,
    *,
    headers: Mapping[str, str],
    body: bytes,
    connect_timeout: float,
    read_timeout: float,
    user_agent: str = "MaturityBenchmark-Webhooks/1",
) -> PostResult:
    """POST ``body`` with ``headers`` to ``resolved.address``, speaking to the endpoint's
    host name, and classify the outcome (2xx: ok; 3xx: ``redirect``; other: ``status``).

    ``connect_timeout`` and ``read_timeout`` are in seconds; the read timeout bounds each
    wait for data, not the whole exchange, which the task's time limit bounds.
    """
    target = resolved.target
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    pool_args: dict[str, Any] = {"timeout": timeout, "retries": False, "maxsize": 1}
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            resolved.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            ssl_context=ssl.create_default_context(),
            **pool_args,
        )
    else:
        pool = urllib3.HTTPConnectionPool(resolved.address, target.port, **pool_args)
    sent = {
        **headers,
        "host": target.host_header,
        "user-agent": user_agent,
        "content-length": str(len(body)),
    }
    started = time.perf_counter()
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=sent,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            response.read(MAX_RESPONSE_BYTES)
        except (ReadTimeoutError, ProtocolError):
            pass  # the status line and headers came; the body is not ours to wait for
        finally:
            response.release_conn()
        status = response.status
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first.
    except NewConnectionError as error:
        refused = isinstance(error.__cause__ or error.__context__, ConnectionRefusedError) or (
            "refused" in str(error).lower()
        )
        return PostResult(None, _ms(started), "refused" if refused else "network")
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
        return PostResult(None, _ms(started), "timeout")
    except SSLError:
        return PostResult(None, _ms(started), "tls")
    except (urllib3.exceptions.HTTPError, OSError):
        return PostResult(None, _ms(started), "network")
    finally:
        pool.close()
    if 200 <= status < 300:
        return PostResult(status, _ms(started), "")
    return PostResult(status, _ms(started), "redirect" if 300 <= status < 400 else "status")


def _ms(started: float) -> int:
    return max(0, round((time.perf_counter() - started) * 1000))
