"""``cogov tablet``: serve only the evaluation form to tablets on the laptop's own network.

Voila runs the form notebook (``demo/tablet/评价表单.ipynb``, shipped in the package) with no code
cells shown and no notebook browser, bound to the laptop's local address (its
Wi-Fi or hotspot), behind a random token. The URL with the token is printed
and shown as a QR code, so residents scan it; someone else on the same Wi-Fi
who does not have the code gets "forbidden".
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cogov_toolkit import i18n
from cogov_toolkit.errors import ConfigurationError

FORM_NOTEBOOK = Path(__file__).with_name("tablet") / "评价表单.ipynb"
DEFAULT_PORT = 8866
WORKSPACE_ENV = "COGOV_TABLET_WORKSPACE"  # the form notebook saves into this workspace


def lan_address() -> str:
    """Return this machine's address on its local network (Wi-Fi or hotspot).

    A UDP socket "connected" to a private address makes the system pick the
    outgoing interface without sending anything, so this works offline when
    there is a route. A laptop whose only network is its own hotspot has an
    address but no default route: then the interfaces' own addresses are read
    (private ones first).
    """
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((probe, 1))
                address = sock.getsockname()[0]
            except OSError:
                continue
        if address and not address.startswith(("127.", "0.")):
            return address
    found = sorted(interface_addresses(), key=lambda a: not ipaddress.ip_address(a).is_private)
    if found:
        return found[0]
    raise ConfigurationError("evaluation.tablet_no_address")


def interface_addresses() -> list[str]:
    """Return the IPv4 addresses of this machine's interfaces, loopback left out (no route needed)."""
    found: list[str] = []
    if sys.platform.startswith("linux"):
        import fcntl
        import struct

        siocgifaddr = 0x8915
        for _, name in socket.if_nameindex():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                try:
                    packed = fcntl.ioctl(sock.fileno(), siocgifaddr, struct.pack("256s", name.encode()[:15]))
                except OSError:  # no IPv4 address on this interface
                    continue
            found.append(socket.inet_ntoa(packed[20:24]))
    else:
        try:
            found = [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
        except OSError:
            found = []
    return [a for a in dict.fromkeys(found) if not a.startswith(("127.", "0."))]


def port_is_free(host: str, port: int) -> bool:
    """Return True when ``port`` can be listened on at ``host`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port free on ``host`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def new_token() -> str:
    """Return a random access token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


TEMPLATE_ROOT = Path(__file__).with_name("tablet_template")


#: a kernel idle longer than a resident takes to fill the form is shut down (each page load starts one)
CULL_IDLE_S = int(os.environ.get("COGOV_TABLET_IDLE_S", 15 * 60))
CULL_INTERVAL_S = int(os.environ.get("COGOV_TABLET_CULL_INTERVAL_S", 60))


def voila_command(
    notebook: Path,
    host: str,
    port: int,
    token: str,
    *,
    cull_idle_s: int = CULL_IDLE_S,
    cull_interval_s: int = CULL_INTERVAL_S,
) -> list[str]:
    """Return the Voila command serving only ``notebook`` on ``host:port`` behind ``token``.

    It listens on that address only, on that port only (no silent move to another
    port, so the QR code is right), and shuts down kernels left idle by closed
    or reloaded pages after ``cull_idle_s``.
    """
    return [
        sys.executable, "-m", "cogov_toolkit.demo.tablet_server", str(notebook),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        f"--token={token}",
        "--strip_sources=True",  # residents see the form, not the code
        "--template=cogov",  # Voila's lab page minus its CDN stylesheets (tablet_template/)
        "--show_tracebacks=False",
        "--Voila.open_browser=False",
        "--Voila.port_retries=0",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        f"--MappingKernelManager.cull_interval={cull_interval_s}",
        "--MappingKernelManager.cull_connected=False",  # the page in a resident's hands keeps its kernel
    ]  # fmt: skip


@dataclass
class TabletServer:
    """A running Voila server for the form."""

    url: str
    token: str
    process: subprocess.Popen

    def stop(self) -> None:
        """Stop the server (and its kernels)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_tablet(
    workspace: str | os.PathLike,
    *,
    host: str | None = None,
    port: int | None = None,
    notebook: Path = FORM_NOTEBOOK,
    wait_s: float = 60.0,
    cull_idle_s: int | None = None,
    cull_interval_s: int | None = None,
) -> TabletServer:
    """Start Voila on the form notebook and return once it answers (URL includes the token).

    When ``port`` is taken (another ``cogov tablet`` is running), a free port is
    used instead and the URL says which: the QR code always shows the real port.
    """
    import importlib.util

    if importlib.util.find_spec("voila") is None:
        raise ConfigurationError("evaluation.tablet_no_voila")
    host = host or lan_address()
    if not port or not port_is_free(host, port):
        port = free_port(host)
    token = new_token()
    env = {**os.environ, WORKSPACE_ENV: str(Path(workspace).resolve())}
    # our template folder first on the Jupyter data path, so that --template=cogov is found
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")]))
    command = voila_command(
        notebook,
        host,
        port,
        token,
        cull_idle_s=cull_idle_s or CULL_IDLE_S,
        cull_interval_s=cull_interval_s or CULL_INTERVAL_S,
    )
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{host}:{port}/?token={token}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:  # a connect, not a page load: loading the page would start a kernel for nobody
            with socket.create_connection((host, port), timeout=2):
                return TabletServer(url, token, process)
        except OSError:
            time.sleep(0.3)
    server = TabletServer(url, token, process)
    server.stop()
    raise ConfigurationError("evaluation.tablet_no_voila")


def qr_text(url: str) -> str:
    """Return the URL as a QR code drawn with text blocks (for the terminal)."""
    import io

    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(url)
    buffer = io.StringIO()
    code.print_ascii(out=buffer, invert=True)
    return buffer.getvalue()


def write_qr_png(url: str, path: str | os.PathLike) -> Path:
    """Write the URL as a QR code PNG (to show full screen or print) and return its path."""
    import qrcode

    image = qrcode.make(url)
    image.save(str(path))
    return Path(path)


def serve(
    workspace: str | os.PathLike,
    *,
    host: str | None = None,
    port: int = DEFAULT_PORT,
    qr_png: str | os.PathLike | None = None,
) -> int:
    """Run ``cogov tablet``: start the server, print URL and QR code, wait for Ctrl+C."""
    import signal

    # a terminate (closing the terminal, a service manager) must stop Voila too, not orphan it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = start_tablet(workspace, host=host, port=port)
    if f":{port}/" not in server.url:
        print(i18n.t("evaluation.tablet.port_taken", port=port, url=server.url))
    print(i18n.t("evaluation.tablet.serving"))
    print(server.url)
    print(qr_text(server.url))
    if qr_png:
        print(write_qr_png(server.url, qr_png))
    print(i18n.t("evaluation.tablet.stop"))
    try:
        return server.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


__all__ = [
    "FORM_NOTEBOOK",
    "WORKSPACE_ENV",
    "lan_address",
    "interface_addresses",
    "port_is_free",
    "CULL_IDLE_S",
    "free_port",
    "new_token",
    "voila_command",
    "TabletServer",
    "start_tablet",
    "qr_text",
    "write_qr_png",
    "serve",
]
