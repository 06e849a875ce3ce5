"""A workshop room on JupyterHub: spawn time and memory per member, for N members.

Builds the demo session with ``--members`` logins per group (4 groups), starts the hub with
`kit hub start`'s code (as root: one system user per group, created and given its folder
during the start, which is timed; each member with their own password), starts one server alone (spawn time per member), then all the others
at once (the room), starts one kernel in every server at once (kernels over local sockets:
no port collisions), measures the RSS of every process, runs the As-Is notebook's code in one
kernel to measure a working kernel, and stops everything (stop time).
Last line: ``hub_room_spawn_s: <seconds for the whole room>``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kit.serve import hub, sysusers
from kit.workspace.demo import build_demo


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def processes(word: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if word in cmd:
                pids.append(int(entry.name))
    return pids


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def user_servers(state: dict) -> dict[str, int]:
    return {u["name"]: u["servers"][""]["state"]["pid"] for u in hub.api(state, "GET", "/users")
            if u.get("servers", {}).get("") and u["servers"][""].get("ready")}


def start_kernels(state: dict, users: list[str]) -> tuple[int, float]:
    """One kernel per server, all at once, through each server's REST API."""
    import json
    import urllib.request

    def one(name: str) -> bool:
        req = urllib.request.Request(f"{state['url']}/user/{name}/api/kernels", method="POST",
                                     data=json.dumps({"name": "python3"}).encode(),
                                     headers={"Authorization": f"token {state['api_token']}"})
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status == 201

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        ok = sum(pool.map(one, users))
    return ok, time.monotonic() - t0


def working_kernel_mb(session: Path) -> float:
    """RSS of a kernel that ran the group page with every stage made (kit, pandas,
    matplotlib, widgets, charts, the handout warmed): what each member's kernel costs."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3", transport="ipc")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    try:
        kc.execute_interactive(f"session_dir, group_id, lang = {str(session)!r}, 'g01', 'ja'\n"
                               "from kit.widgets.page import GroupPage, STAGES\n"
                               "page = GroupPage.open(session_dir, group_id, lang)\n"
                               "display(page)\n"
                               "for name in STAGES: page.editor(name)\n"
                               "import kit.documents.handout, kit.render.inline\n"
                               "kit.render.inline.warm()",
                               timeout=180, output_hook=lambda _msg: None)
        return rss_mb(km.provisioner.process.pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10, help="logins per group (4 groups)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hubroom", dir="/tmp")
    os.chmod(tmp, 0o755)                  # the groups' system users pass through it
    try:
        os.environ["HOME"] = tmp
        os.environ["JUPYTER_RUNTIME_DIR"] = f"{tmp}/rt"       # short: kernel sockets
        session = Path(tmp) / "session"
        build_demo(session)
        isolate_s = []
        real_isolate = hub._isolate

        def timed_isolate(*a, **k):              # the part the groups' system users add
            t = time.monotonic()
            try:
                return real_isolate(*a, **k)
            finally:
                isolate_s.append(time.monotonic() - t)

        hub._isolate = timed_isolate
        t0 = time.monotonic()
        state = hub.start(session, port=hub.free_port(), members=args.members,
                          trusted_room=not sysusers.is_root())
        print(f"hub start (incl. preparing notebooks, {len(state['system_users'])} new system "
              f"users and their folders): {time.monotonic() - t0:.1f} s, of which the users, "
              f"their folders and checking they can run the kit: {sum(isolate_s):.1f} s")
        try:
            users = list(state["members"])
            first = hub.prestart(state, users[:1])
            print(f"one member's server alone: {first[users[0]]:.1f} s")
            rest = hub.prestart(state, users[1:], timeout=600)
            room = max(rest.values(), default=0)
            print(f"room: {len(rest) + 1}/{len(users)} servers ready; the other "
                  f"{len(users) - 1} at once in {room:.1f} s (median member "
                  f"{sorted(rest.values())[len(rest) // 2]:.1f} s)")
            servers = user_servers(state)
            ok, t_k = start_kernels(state, list(servers))
            time.sleep(3)
            kernels = [p for p in processes("ipykernel_launcher")
                       if parent(p) in set(servers.values())]
            server_mb = [rss_mb(p) for p in servers.values()]
            kernel_mb = [rss_mb(p) for p in kernels]
            infra = [state["pid"], state.get("proxy_pid")] + processes("jupyterhub_idle_culler")
            print(f"kernels started at once: {ok}/{len(servers)} in {t_k:.1f} s")
            print(f"RSS per server (idle): {sum(server_mb) / len(server_mb):.0f} MB; per bare "
                  f"kernel: {sum(kernel_mb) / max(1, len(kernel_mb)):.0f} MB; hub+proxy+culler "
                  f"{sum(rss_mb(p) for p in infra if p):.0f} MB")
            print(f"RSS of a kernel that ran the group page (all stages): "
                  f"{working_kernel_mb(session):.0f} MB")
            with open("/proc/loadavg") as fh:
                print(f"load average during the run: {fh.read().split()[0]}")
        finally:
            t1 = time.monotonic()
            hub.stop(session)
            print(f"kit hub stop: {time.monotonic() - t1:.1f} s")
            if sysusers.is_root():
                t2 = time.monotonic()
                removed = hub.cleanup(session)
                print(f"kit hub cleanup ({len(removed)} users): {time.monotonic() - t2:.1f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"hub_room_spawn_s: {room:.1f}")


if __name__ == "__main__":
    main()
