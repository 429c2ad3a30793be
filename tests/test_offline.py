"""The test run itself is offline when scripts/test.sh could cut the network (CI does)."""

from __future__ import annotations

import os
import socket

import pytest


def _can_reach_internet() -> bool:
    try:
        with socket.create_connection(("151.101.0.223", 443), timeout=3):  # a public CDN address
            return True
    except OSError:
        return False


@pytest.mark.skipif(os.environ.get("COGOV_EXPECT_OFFLINE") != "1", reason="network not cut in this run")
def test_no_route_to_the_internet() -> None:
    assert not _can_reach_internet()


def test_loopback_still_works_for_kernels_and_local_servers() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    with server, socket.create_connection(server.getsockname(), timeout=3):
        pass
