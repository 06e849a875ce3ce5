"""JupyterHub for one workshop room, driven by environment variables (set by `kit hub start`).

Nothing here is edited per session: `kit hub start SESSION` writes the roster and the state
folder and sets these variables; this file only reads them.

KIT_HUB_STATE        the state folder (SESSION/.hub): roster.json, database, cookie secret, logs
KIT_HUB_IP/PORT      the public address (default 127.0.0.1:8000)
KIT_HUB_HUB_PORT     the hub's internal API port; KIT_HUB_PROXY_API_PORT the proxy's API port
KIT_HUB_LOGINS       each login's own password (logins.json, 0600; default STATE/logins.json)
KIT_HUB_PASSWORD     only with `kit hub start --trusted-room`: one password for every member
KIT_HUB_ADMIN_PASSWORD  the facilitator's password (>= 32 characters)
KIT_HUB_API_TOKEN    token of the `kit` service (pre-starting servers, measuring)
KIT_HUB_PROXY        path of configurable-http-proxy (hub/node_modules/.bin)
KIT_HUB_IDLE_MIN     idle culling in minutes (default 120; at least 15)
KIT_HUB_RUNTIME      a short folder for kernel sockets (socket paths must stay < 107 bytes)

Kubernetes (``KIT_HUB_MODE=kubernetes``; deploy/kubernetes/, the Zero to JupyterHub chart):
the chart runs the hub, the proxy, the database and the idle culler; this file then sets only
the login (the same roster, each login with its own password) and KubeSpawner: the kit's
image, and of the session's ReadWriteMany volume only the group's folder (subPath) plus
session.yaml read-only, as the group's own uid/gid, so a group's members co-edit one
workspace and reach no other.
KIT_HUB_ROSTER       roster.json (`kit hub roster SESSION --session-path /srv/session`)
KIT_IMAGE            the user image (deploy/kubernetes/Dockerfile)
KIT_SESSION_CLAIM    the ReadWriteMany PersistentVolumeClaim holding sessions (kit-session)
KIT_HUB_LOGINS       the members' passwords (a Secret: `kit hub roster … --logins logins.json`)
The session's path in the pods is the roster's "session" (`--session-path /srv/session`);
each group runs as the roster's "ids" (uid/gid 20000 + n), see deploy/kubernetes/README.md.

For a city's own servers replace the shared password with a real authenticator (see the
README, "Serving a workshop room"): jupyterhub-ldapauthenticator (Active Directory) or
oauthenticator (Entra ID), and put TLS in front.
"""

import hmac
import json
import os
import sys
from pathlib import Path

from jupyterhub.auth import Authenticator

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

KUBERNETES = os.environ.get("KIT_HUB_MODE", "local") == "kubernetes"
STATE = Path(os.environ.get("KIT_HUB_STATE") or "/srv/jupyterhub").resolve()
ROSTER = json.loads(Path(os.environ.get("KIT_HUB_ROSTER") or STATE / "roster.json")
                    .read_text(encoding="utf-8"))
SESSION = Path(ROSTER["session"])
MEMBERS = ROSTER["members"]              # user name -> group id
ADMIN = ROSTER["admin"]
SYSTEM_USERS = ROSTER.get("system_users") or {}   # group id -> system user (root, one machine)
GROUP_IDS = ROSTER.get("ids") or {}               # group id -> [uid, gid] (Kubernetes)
LOGINS = Path(os.environ.get("KIT_HUB_LOGINS") or STATE / "logins.json")
SHARED_PASSWORD = os.environ.get("KIT_HUB_PASSWORD") or ""        # --trusted-room only
ADMIN_PASSWORD = os.environ.get("KIT_HUB_ADMIN_PASSWORD") or ""
# the Voilà template without CDN stylesheets (kit/serve/voila_share), for the members' page
VOILA_SHARE = str(Path(__file__).resolve().parent / "voila_share")
RUNTIME = Path(os.environ.get("KIT_HUB_RUNTIME") or STATE / "rt")
BIN = Path(sys.executable).parent
IP = os.environ.get("KIT_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("KIT_HUB_PORT", "8000"))
LOCAL = "127.0.0.1"
SERVER_ARGS = ["--KernelManager.transport=ipc", "--ServerApp.shutdown_no_activity_timeout=0"]
PAGE = "group_page.ipynb"                # the group's workshop page (kit.widgets.page)
# members: the page through Voilà's server extension, our offline template, no code shown,
# no tracebacks, no terminals, no JupyterLab (nor its language servers)
MEMBER_ARGS = ["--ServerApp.terminals_enabled=False",
               "--ServerApp.jpserver_extensions=jupyterlab=False",
               "--ServerApp.jpserver_extensions=jupyter_lsp=False",
               "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
               "--VoilaConfiguration.template=bpr_app",
               "--VoilaConfiguration.strip_sources=True",
               "--VoilaConfiguration.show_tracebacks=False"]

# -- login: each roster member with their own password; the facilitator is the admin --------
class RoomAuthenticator(Authenticator):
    """A login's own password opens that login and no other (LOGINS, re-read at every
    attempt); the admin password opens the facilitator's. Kept in this file: on Kubernetes
    the hub's image has no `kit` package."""

    async def authenticate(self, handler, data):
        name = self.normalize_username(str(data.get("username", "")))
        given = str(data.get("password", "")).encode()
        if name in self.admin_users:
            ok = bool(ADMIN_PASSWORD) and hmac.compare_digest(given, ADMIN_PASSWORD.encode())
            return {"name": name, "admin": True} if ok else None
        try:
            rows = json.loads(LOGINS.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        own = next((str(r.get("password", "")) for r in rows if r.get("login") == name), "")
        ok = bool(own) and hmac.compare_digest(given, own.encode())
        return {"name": name, "admin": False} if ok else None


if SHARED_PASSWORD:                              # `--trusted-room`: one password for all
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = SHARED_PASSWORD
    c.SharedPasswordAuthenticator.admin_password = ADMIN_PASSWORD or None
else:
    c.JupyterHub.authenticator_class = RoomAuthenticator
c.Authenticator.allowed_users = set(MEMBERS)
c.Authenticator.admin_users = {ADMIN}
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = False   # roster changes take effect at the next start
c.JupyterHub.admin_access = True               # the facilitator may open a member's server

# No news toast; no notebook autosave: a group's members open the same .ipynb, and two Labs
# saving it would raise "File Changed". The widgets save the group's work.json themselves.
SETTINGS = [
    ("apputils-extension", "notification.jupyterlab-settings",
     {"fetchNews": "false", "checkForUpdates": False}),
    ("docmanager-extension", "plugin.jupyterlab-settings", {"autosave": False}),
]


def _start_page(spawner, name: str) -> Path:
    """The member's folder (the facilitator's: the session) and the notebook it opens.

    On Kubernetes the session is on the pods' volume, not the hub's: the set-up job has
    prepared the notebooks (deploy/kubernetes/README.md), so they are not looked for.
    """
    if name == ADMIN:
        if KUBERNETES or (SESSION / "00_overview.ipynb").is_file():
            spawner.default_url = "/lab/tree/00_overview.ipynb"
        return SESSION
    folder = SESSION / "groups" / MEMBERS[name]
    if KUBERNETES or (folder / "notebooks" / PAGE).is_file():
        spawner.default_url = f"/voila/render/notebooks/{PAGE}"
    return folder


def _member_args(spawner, name: str) -> None:
    """A member gets the group page (Voilà: no code, no menus) and no terminal; the
    facilitator keeps JupyterLab."""
    if name != ADMIN:
        spawner.args = list(SERVER_ARGS) + MEMBER_ARGS + (
            ["--ServerApp.allow_root=True"]
            if not KUBERNETES and os.geteuid() == 0 and not _system_user(name) else [])


def _write_settings(home: Path) -> None:
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for plugin, file, values in SETTINGS:
        (settings / plugin).mkdir(parents=True, exist_ok=True)
        (settings / plugin / file).write_text(json.dumps(values))


def _environment(spawner, name: str) -> None:
    spawner.environment.update({"KIT_HUB_USER": name, "KIT_HUB_GROUP": MEMBERS.get(name, "")})


# -- one machine: `kit hub start` -----------------------------------------------------------
def _system_user(name: str) -> str | None:
    return SYSTEM_USERS.get(MEMBERS[name]) if name in MEMBERS else None


def _local_pre_spawn(spawner):
    """The member's folder, a home and a short socket folder of their own (outside the
    session, given to the group's system user), and for the facilitator a quiet JupyterLab."""
    from kit.serve.sysusers import prepare_home  # one machine: the hub runs in the kit's venv

    name = spawner.user.name
    spawner.notebook_dir = str(_start_page(spawner, name))
    home = RUNTIME / "home" / name
    runtime = RUNTIME / "rt" / name
    prepare_home(home, _system_user(name))
    prepare_home(runtime, _system_user(name))
    if name == ADMIN:
        _write_settings(home)
    _environment(spawner, name)
    _member_args(spawner, name)
    spawner.environment.update({"JUPYTER_RUNTIME_DIR": str(runtime),
                                "MPLCONFIGDIR": str(home / ".mpl"),
                                "JUPYTER_PATH": VOILA_SHARE})


def local_hub() -> None:
    # network: public address; the hub's API and the proxy's API on loopback
    c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
    c.JupyterHub.hub_ip = LOCAL
    c.JupyterHub.hub_port = int(os.environ.get("KIT_HUB_HUB_PORT", "8081"))
    proxy_api_port = os.environ.get("KIT_HUB_PROXY_API_PORT", "8001")
    c.ConfigurableHTTPProxy.api_url = f"http://{LOCAL}:{proxy_api_port}"
    c.ConfigurableHTTPProxy.command = [os.environ.get("KIT_HUB_PROXY", "configurable-http-proxy")]
    c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
    c.ConfigurableHTTPProxy.debug = False
    # state in the session's .hub folder
    c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
    c.JupyterHub.pid_file = str(STATE / "hub.pid")
    c.JupyterHub.cleanup_servers = True          # `kit hub stop` stops every member's server
    c.JupyterHub.cleanup_proxy = True
    # the `kit` service (pre-start servers, read the roster state) and the idle culler
    idle_min = max(15, int(os.environ.get("KIT_HUB_IDLE_MIN", "120")))
    c.JupyterHub.services = [
        {"name": "kit", "api_token": os.environ["KIT_HUB_API_TOKEN"]},
        {"name": "idle-culler",
         "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                     f"--timeout={idle_min * 60}", "--cull-every=300"]},
    ]
    c.JupyterHub.load_roles = [
        {"name": "kit", "services": ["kit"],
         "scopes": ["admin:users", "admin:servers", "list:users", "read:users",
                    "access:servers"]},
        {"name": "idle-culler", "services": ["idle-culler"],
         "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    ]
    # spawner: one local process per member, opened in the group's folder; as root each as
    # its group's system user (kit.serve.spawner), else (--trusted-room) as the hub's user
    c.JupyterHub.spawner_class = "kit.serve.spawner.GroupSpawner"
    c.GroupSpawner.system_users = {name: _system_user(name) for name in MEMBERS
                                   if _system_user(name)}
    c.GroupSpawner.home_root = str(RUNTIME / "home")
    c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
    c.Spawner.args = list(SERVER_ARGS)
    if os.geteuid() == 0:
        c.Spawner.args.append("--ServerApp.allow_root=True")
    c.Spawner.default_url = "/lab"
    c.Spawner.start_timeout = 180                  # 40 servers at once on 2 cores: ~65 s
    c.Spawner.http_timeout = 180
    c.JupyterHub.concurrent_spawn_limit = 100
    c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "KIT_LANG", "KIT_WATCH_S", "VIRTUAL_ENV"]
    c.Spawner.pre_spawn_hook = _local_pre_spawn


# -- Kubernetes: the Zero to JupyterHub chart runs hub, proxy, database and culler -----------
FACILITATOR_IDS = (1000, 100)            # the image's user: the facilitator's pod


def _pod_mounts(name: str, mount: str) -> list[dict]:
    """The facilitator: the whole session volume. A member: their group's folder (subPath)
    and session.yaml (the session's settings and catalogues) read-only — nothing else."""
    if name == ADMIN:
        return [{"name": "kit-session", "mountPath": mount}]
    group = MEMBERS[name]
    return [{"name": "kit-session", "mountPath": f"{mount}/groups/{group}",
             "subPath": f"groups/{group}"},
            {"name": "kit-session", "mountPath": f"{mount}/session.yaml",
             "subPath": "session.yaml", "readOnly": True}]


def _pod_pre_spawn(spawner):
    """Open the group's folder on the shared volume, as the group's uid/gid, with only the
    group's part of the volume mounted; the facilitator sees every group (their gids)."""
    name = spawner.user.name
    folder = _start_page(spawner, name)
    spawner.notebook_dir = str(folder)
    spawner.working_dir = str(folder)
    spawner.volume_mounts = _pod_mounts(name, str(SESSION))
    if name == ADMIN:
        spawner.uid, spawner.gid = FACILITATOR_IDS
        spawner.fs_gid = FACILITATOR_IDS[1]
        spawner.supplemental_gids = sorted({gid for _, gid in GROUP_IDS.values()})
    else:
        spawner.uid, spawner.gid = GROUP_IDS[MEMBERS[name]]
        spawner.fs_gid = spawner.gid         # not applied on NFS: the set-up job chowns
        spawner.supplemental_gids = []
    _environment(spawner, name)
    if name != ADMIN:                        # a group's uid has no home in the image
        spawner.environment.update({"HOME": "/tmp", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-rt"})
    _member_args(spawner, name)


def kubernetes_hub() -> None:
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.KubeSpawner.image = os.environ.get("KIT_IMAGE", "bpr-workshop-kit:latest")
    c.KubeSpawner.cmd = ["jupyterhub-singleuser"]
    c.KubeSpawner.args = list(SERVER_ARGS)
    c.KubeSpawner.default_url = "/lab"
    # the session on one ReadWriteMany volume (NFSv4 locks: see deploy/kubernetes/README.md);
    # each pod mounts only its part of it (_pod_mounts), SESSION being the mount point
    c.KubeSpawner.volumes = [{"name": "kit-session", "persistentVolumeClaim": {
        "claimName": os.environ.get("KIT_SESSION_CLAIM", "kit-session")}}]
    c.KubeSpawner.environment = {"KIT_LANG": os.environ.get("KIT_LANG", "ja"),
                                 "KIT_WATCH_S": os.environ.get("KIT_WATCH_S", "3")}
    c.KubeSpawner.start_timeout = 300        # image pulls on a fresh node
    c.KubeSpawner.pre_spawn_hook = _pod_pre_spawn
    c.JupyterHub.concurrent_spawn_limit = 200


if KUBERNETES:
    kubernetes_hub()
else:
    local_hub()
