"""Kubernetes: the Zero to JupyterHub values load the kit's hub configuration in its
Kubernetes mode (jupyterhub-kubespawner installed, no cluster) and give KubeSpawner the
kit's image, each member's own password, and of the session volume only the group's part,
as the group's uid/gid; the file lock holds across processes
on the volume the session lives on.

The lock test runs in a temporary folder; point ``KIT_LOCK_TEST_DIR`` at a mounted shared
volume (e.g. the NFS export) to check that volume before a workshop.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
from pathlib import Path

import pytest
import yaml

from kit.cli import main
from kit.io import store
from kit.serve import hub
from kit.workspace.demo import build_demo

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "kubernetes"
CONFIG = ROOT / "kit" / "serve" / "jupyterhub_config.py"


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("k8s") / "session"
    build_demo(folder)
    return folder


@pytest.fixture()
def values() -> dict:
    return yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))


def _load_hub_config(values: dict, roster: Path, monkeypatch):
    """Run the chart's extraConfig snippet as z2jh does, with the chart's environment."""
    from traitlets.config import Config

    files = values["hub"]["extraFiles"]
    mounted = {files["kit-config"]["mountPath"]: CONFIG,
               files["kit-roster"]["mountPath"]: roster}
    for name, value in values["hub"]["extraEnv"].items():
        if isinstance(value, str):
            monkeypatch.setenv(name, str(mounted.get(value, value)))
    monkeypatch.delenv("KIT_HUB_PASSWORD", raising=False)
    monkeypatch.setenv("KIT_HUB_ADMIN_PASSWORD", "a" * 32)
    real_open = open

    def chart_open(path, *args, **kwargs):        # the hub pod's mounted files
        return real_open(mounted.get(path, path), *args, **kwargs)

    c = Config()

    def z2jh_get_config(key, default=None):       # z2jh's, not traitlets': reads values
        raise AssertionError("the kit's file must not call z2jh's get_config")

    namespace = {"c": c, "get_config": z2jh_get_config, "open": chart_open}
    for snippet in values["hub"]["extraConfig"].values():
        exec(snippet, namespace)                  # noqa: S102 - as z2jh's jupyterhub_config.py
    return c


def _spawn(kubespawner, c, name: str, monkeypatch):
    """The pod KubeSpawner would send for ``name`` (no cluster: no kube-config read)."""
    from kubernetes_asyncio.client import ApiClient

    monkeypatch.setattr(kubespawner.spawner, "load_config", lambda **kwargs: None)
    user = type("User", (), {"name": name, "id": 7, "url": f"/user/{name}/",
                             "escaped_name": name})()

    async def spawn():                      # KubeSpawner wants a running event loop
        spawner = kubespawner.KubeSpawner(config=c, _mock=True, user=user)
        c.KubeSpawner.pre_spawn_hook(spawner)
        manifest = await spawner.get_pod_manifest()
        async with ApiClient() as api:             # the manifest as sent to the cluster
            return spawner, api.sanitize_for_serialization(manifest)

    return asyncio.run(spawn())


def test_values_load_the_kit_config_in_kubernetes_mode(session, tmp_path, values,
                                                       monkeypatch, capsys):
    kubespawner = pytest.importorskip("kubespawner")
    roster, logins_file = tmp_path / "roster.json", tmp_path / "logins.json"
    assert main(["hub", "roster", str(session), "--session-path", "/srv/session",
                 "--out", str(roster), "--logins", str(logins_file)]) == 0
    names = json.loads(roster.read_text(encoding="utf-8"))
    assert names["session"] == "/srv/session" and names["members"] == hub.roster(session)
    assert names["ids"] == {"g01": [20001, 20001], "g02": [20002, 20002],
                            "g03": [20003, 20003], "g04": [20004, 20004]}
    assert oct(logins_file.stat().st_mode & 0o777) == "0o600"
    passwords = {r["login"]: r["password"] for r in json.loads(logins_file.read_text())}
    assert set(passwords) == set(names["members"]) and len(set(passwords.values())) == 16
    c = _load_hub_config(values, roster, monkeypatch)

    # login: each member's own password (the Secret the values mount), as `kit hub start`
    assert c.JupyterHub.authenticator_class.__name__ == "RoomAuthenticator"
    assert values["hub"]["extraEnv"]["KIT_HUB_LOGINS"].startswith(
        values["hub"]["extraVolumeMounts"][0]["mountPath"])
    assert "KIT_HUB_PASSWORD" not in values["hub"]["extraEnv"]        # no shared password
    assert c.Authenticator.allowed_users == set(hub.roster(session))
    assert c.Authenticator.admin_users == {hub.ADMIN}
    # the hub reads the mounted Secret; here the file `kit hub roster --logins` wrote
    auth = c.JupyterHub.authenticator_class(config=c)
    monkeypatch.setitem(auth.authenticate.__globals__, "LOGINS", logins_file)

    def login(name, password):
        return asyncio.run(auth.authenticate(None, {"username": name, "password": password}))

    assert login("g02-b", passwords["g02-b"]) == {"name": "g02-b", "admin": False}
    assert login("g02-b", passwords["g01-a"]) is None          # another member's password
    assert login(hub.ADMIN, passwords["g01-a"]) is None
    assert login(hub.ADMIN, "a" * 32)["admin"] is True
    # the chart runs proxy, database and culler: the local hub's settings are not applied
    assert "db_url" not in c.JupyterHub and "services" not in c.JupyterHub

    assert c.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    image = values["singleuser"]["image"]
    assert c.KubeSpawner.image == f"{image['name']}:{image['tag']}"
    claim = yaml.safe_load((DEPLOY / "session-pvc.yaml").read_text(encoding="utf-8"))
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]

    spawner, pod = _spawn(kubespawner, c, "g02-b", monkeypatch)
    assert spawner.notebook_dir == "/srv/session/groups/g02"          # the group's folder
    assert spawner.default_url == "/voila/render/notebooks/group_page.ipynb"   # the page
    (volume,) = [v for v in pod["spec"]["volumes"] if v["name"] == "kit-session"]
    assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    (box,) = pod["spec"]["containers"]
    assert box["image"] == c.KubeSpawner.image
    assert box["workingDir"] == "/srv/session/groups/g02"
    env = {e["name"]: e.get("value") for e in box["env"]}
    assert env["KIT_HUB_GROUP"] == "g02" and env["KIT_HUB_USER"] == "g02-b"
    assert env["HOME"] == "/tmp"                       # uid 20002 has no home in the image
    assert "--KernelManager.transport=ipc" in box["args"]
    assert "--ServerApp.terminals_enabled=False" in box["args"]             # no terminal
    assert "--ServerApp.jpserver_extensions=jupyterlab=False" in box["args"]  # no Lab
    assert "--VoilaConfiguration.strip_sources=True" in box["args"]          # no code


def _mounts(pod) -> list[tuple]:
    (box,) = pod["spec"]["containers"]
    return sorted((m["mountPath"], m.get("subPath"), bool(m.get("readOnly")))
                  for m in box["volumeMounts"] if m["name"] == "kit-session")


def _ids(pod) -> tuple[int, int]:
    (box,) = pod["spec"]["containers"]
    return box["securityContext"]["runAsUser"], box["securityContext"]["runAsGroup"]


def test_each_member_pod_mounts_only_its_group(session, tmp_path, values, monkeypatch):
    """Every member of every group: the group's folder (subPath) read-write and session.yaml
    read-only, as the group's uid/gid; the facilitator: the whole volume, every group's gid."""
    kubespawner = pytest.importorskip("kubespawner")
    roster = tmp_path / "roster.json"
    assert main(["hub", "roster", str(session), "--session-path", "/srv/session",
                 "--out", str(roster)]) == 0
    c = _load_hub_config(values, roster, monkeypatch)
    for name, group in hub.roster(session).items():
        n = int(group[1:])
        _, pod = _spawn(kubespawner, c, name, monkeypatch)
        assert _mounts(pod) == [
            (f"/srv/session/groups/{group}", f"groups/{group}", False),
            ("/srv/session/session.yaml", "session.yaml", True)], name
        assert _ids(pod) == (20000 + n, 20000 + n), name
        assert not pod["spec"]["securityContext"].get("supplementalGroups"), name
    _, pod = _spawn(kubespawner, c, hub.ADMIN, monkeypatch)
    assert _mounts(pod) == [("/srv/session", None, False)]
    assert _ids(pod) == (1000, 100)
    assert pod["spec"]["securityContext"]["supplementalGroups"] == [20001, 20002, 20003, 20004]


def test_the_setup_job_gives_each_group_folder_to_its_gid(session, tmp_path):
    job = yaml.safe_load((DEPLOY / "setup-job.yaml").read_text(encoding="utf-8"))
    spec = job["spec"]["template"]["spec"]
    (owners,) = spec["containers"]
    assert owners["command"][-3:] == ["hub", "volume", "/srv/session"]
    assert owners["securityContext"]["runAsUser"] == 0            # chown needs root (NFS)
    assert spec["initContainers"][0]["command"][2:5] == ["kit", "session", "new"]
    if os.geteuid() != 0:
        return
    copy = tmp_path / "session"
    build_demo(copy)
    assert main(["hub", "volume", str(copy)]) == 0
    for n, group in enumerate(("g01", "g02", "g03", "g04"), 1):
        folder = copy / "groups" / group
        st = folder.stat()
        assert (st.st_uid, st.st_gid, oct(st.st_mode & 0o7777)) == (20000 + n, 20000 + n,
                                                                    "0o2770")
        assert (folder / "work.json").stat().st_uid == 20000 + n
    assert oct((copy / "session.yaml").stat().st_mode & 0o777) == "0o644"


def test_dockerfile_installs_the_package_and_runs_singleuser():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install ." in text and "jupyterhub-singleuser" in text
    assert "USER 1000:100" in text and "fonts-noto-cjk" in text
    for folder in ("kit", "workshops", "templates", "data_samples", "build_support"):
        assert f"COPY {folder} {folder}" in text


# --- the file lock on the session's volume -------------------------------------------------
def _hold(lock_file: str, held, release) -> None:
    from filelock import FileLock

    with FileLock(lock_file):
        held.set()
        release.wait(30)


def test_the_group_lock_excludes_another_process_on_the_volume(tmp_path):
    from filelock import FileLock, Timeout

    base = Path(os.environ.get("KIT_LOCK_TEST_DIR") or tmp_path) / f"lock-test-{os.getpid()}"
    lock_file = store.path("lock", base, "g01")               # the lock a save takes
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    ctx = multiprocessing.get_context("spawn")
    held, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(str(lock_file), held, release))
    other.start()
    try:
        assert held.wait(30)
        with pytest.raises(Timeout):                       # held by the other process
            FileLock(str(lock_file), timeout=0.5).acquire()
        release.set()
        other.join(30)
        assert other.exitcode == 0
        with FileLock(str(lock_file), timeout=10) as lock:  # free once the other let go
            assert lock.is_locked
    finally:
        release.set()
        other.join(5)
