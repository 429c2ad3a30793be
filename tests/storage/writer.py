"""A separate process that writes records to a workspace and prints each acknowledged uuid.

Used by the crash and concurrency tests: ``python writer.py WORKSPACE COUNT TAG``.
A uuid is printed (and flushed) only after ``Workspace.add`` has returned, so
every printed uuid is a record the toolkit told the user was saved. With
``--paced`` the writer waits for a line on stdin before each write, so the
crash test decides when writes happen and can kill one in flight.
"""

from __future__ import annotations

import sys

from cogov_toolkit.storage import open_workspace


def main() -> None:
    path, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    paced = "--paced" in sys.argv
    ws = open_workspace(path, backups=0)
    print("ready", flush=True)
    for i in range(count):
        if paced and not sys.stdin.readline():
            break
        uuid = ws.add(
            "demands",
            {
                "demand_id": f"{tag}-{i:04d}",
                "reported_on": "2026-05-01",
                "channel": "meeting",
                "category": "repair",
                "text": f"第 {i} 条：楼道灯坏了",
            },
            private={"demand_contacts": {"name": f"测试{tag}{i}", "phone": f"100-{i:04d}"}},
        )
        print(uuid, flush=True)
    ws.close()


if __name__ == "__main__":
    main()
