"""tests/proc_net.py, which the real-n8n tests use to see what n8n listens on, read on
sockets this test opens itself."""

import os
import socket

import pytest

from tests.proc_net import listening_sockets


@pytest.mark.parametrize(
    ("family", "address"), [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")]
)
def test_it_finds_a_socket_listening_in_this_process(family, address):
    with socket.socket(family, socket.SOCK_STREAM) as listener:
        listener.bind((address, 0))
        port = listener.getsockname()[1]
        assert (address, port) not in listening_sockets(os.getpid())  # bound, not listening
        listener.listen()
        assert (address, port) in listening_sockets(os.getpid())
    assert (address, port) not in listening_sockets(os.getpid())
