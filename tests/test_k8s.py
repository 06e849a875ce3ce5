"""Kubernetes: the Zero to JupyterHub values load the kit's hub configuration in its
Kubernetes mode (jupyterhub-kubespawner installed, no cluster) and give KubeSpawner the
kit's image, the shared session volume and the roster; the file lock holds across processes
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
    monkeypatch.setenv("KIT_HUB_PASSWORD", "shared-pass-2026")
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


def test_values_load_the_kit_config_in_kubernetes_mode(session, tmp_path, values,
                                                       monkeypatch, capsys):
    kubespawner = pytest.importorskip("kubespawner")
    roster = tmp_path / "roster.json"
    assert main(["hub", "roster", str(session), "--session-path", "/srv/session",
                 "--out", str(roster)]) == 0
    names = json.loads(roster.read_text(encoding="utf-8"))
    assert names["session"] == "/srv/session" and names["members"] == hub.roster(session)
    c = _load_hub_config(values, roster, monkeypatch)

    # login: the same roster and shared-password scheme as `kit hub start`
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.Authenticator.allowed_users == set(hub.roster(session))
    assert c.Authenticator.admin_users == {hub.ADMIN}
    assert c.SharedPasswordAuthenticator.user_password == "shared-pass-2026"
    # the chart runs proxy, database and culler: the local hub's settings are not applied
    assert "db_url" not in c.JupyterHub and "services" not in c.JupyterHub

    assert c.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    image = values["singleuser"]["image"]
    assert c.KubeSpawner.image == f"{image['name']}:{image['tag']}"
    claim = yaml.safe_load((DEPLOY / "session-pvc.yaml").read_text(encoding="utf-8"))
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]

    # no cluster: KubeSpawner builds its client without reading a kube-config
    monkeypatch.setattr(kubespawner.spawner, "load_config", lambda **kwargs: None)
    user = type("User", (), {"name": "g02-b", "id": 7, "url": "/user/g02-b/",
                             "escaped_name": "g02-b"})()

    from kubernetes_asyncio.client import ApiClient

    async def spawn():                      # KubeSpawner wants a running event loop
        spawner = kubespawner.KubeSpawner(config=c, _mock=True, user=user)
        c.KubeSpawner.pre_spawn_hook(spawner)
        manifest = await spawner.get_pod_manifest()
        async with ApiClient() as api:             # the manifest as sent to the cluster
            return spawner, api.sanitize_for_serialization(manifest)

    spawner, pod = asyncio.run(spawn())
    assert spawner.notebook_dir == "/srv/session/groups/g02"          # the group's folder
    assert spawner.default_url == "/voila/render/notebooks/group_page.ipynb"   # the page
    (volume,) = [v for v in pod["spec"]["volumes"] if v["name"] == "kit-session"]
    assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    (box,) = pod["spec"]["containers"]
    assert {m["name"]: m["mountPath"] for m in box["volumeMounts"]}["kit-session"] == \
        "/srv/session"
    assert box["image"] == c.KubeSpawner.image
    assert box["workingDir"] == "/srv/session/groups/g02"
    env = {e["name"]: e.get("value") for e in box["env"]}
    assert env["KIT_HUB_GROUP"] == "g02" and env["KIT_HUB_USER"] == "g02-b"
    assert pod["spec"]["securityContext"]["fsGroup"] == 100
    assert "--KernelManager.transport=ipc" in box["args"]
    assert "--ServerApp.terminals_enabled=False" in box["args"]             # no terminal
    assert "--VoilaConfiguration.strip_sources=True" in box["args"]          # no code


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
