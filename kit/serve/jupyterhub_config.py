"""JupyterHub for one workshop room, driven by environment variables (set by `kit hub start`).

Nothing here is edited per session: `kit hub start SESSION` writes the roster and the state
folder and sets these variables; this file only reads them.

KIT_HUB_STATE        the state folder (SESSION/.hub): roster.json, database, cookie secret, logs
KIT_HUB_IP/PORT      the public address (default 127.0.0.1:8000)
KIT_HUB_HUB_PORT     the hub's internal API port; KIT_HUB_PROXY_API_PORT the proxy's API port
KIT_HUB_PASSWORD     the shared workshop password (>= 8 characters) for every roster member
KIT_HUB_ADMIN_PASSWORD  the facilitator's password (>= 32 characters)
KIT_HUB_API_TOKEN    token of the `kit` service (pre-starting servers, measuring)
KIT_HUB_PROXY        path of configurable-http-proxy (hub/node_modules/.bin)
KIT_HUB_IDLE_MIN     idle culling in minutes (default 120; at least 15)
KIT_HUB_RUNTIME      a short folder for kernel sockets (socket paths must stay < 107 bytes)

For a city's own servers replace the shared password with a real authenticator (see the
README, "Serving a workshop room"): jupyterhub-ldapauthenticator (Active Directory) or
oauthenticator (Entra ID), and put TLS in front.
"""

import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

STATE = Path(os.environ["KIT_HUB_STATE"]).resolve()
ROSTER = json.loads((STATE / "roster.json").read_text(encoding="utf-8"))
SESSION = Path(ROSTER["session"])
MEMBERS = ROSTER["members"]              # user name -> group id
ADMIN = ROSTER["admin"]
RUNTIME = Path(os.environ.get("KIT_HUB_RUNTIME") or STATE / "rt")
BIN = Path(sys.executable).parent
IP = os.environ.get("KIT_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("KIT_HUB_PORT", "8000"))
LOCAL = "127.0.0.1"

# -- network: public address, hub API and proxy API on loopback ---------------------------
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_ip = LOCAL
c.JupyterHub.hub_port = int(os.environ.get("KIT_HUB_HUB_PORT", "8081"))
PROXY_API_PORT = os.environ.get("KIT_HUB_PROXY_API_PORT", "8001")
c.ConfigurableHTTPProxy.api_url = f"http://{LOCAL}:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [os.environ.get("KIT_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.ConfigurableHTTPProxy.debug = False

# -- state in the session's .hub folder -----------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "hub.pid")
c.JupyterHub.cleanup_servers = True          # `kit hub stop` stops every member's server
c.JupyterHub.cleanup_proxy = True

# -- login: roster members with the shared password; the facilitator is the admin -----------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("KIT_HUB_PASSWORD") or None
c.SharedPasswordAuthenticator.admin_password = os.environ.get("KIT_HUB_ADMIN_PASSWORD") or None
c.Authenticator.allowed_users = set(MEMBERS)
c.Authenticator.admin_users = {ADMIN}
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = False   # roster changes take effect at the next start
c.JupyterHub.admin_access = True               # the facilitator may open a member's server

# -- the `kit` service (pre-start servers, read the roster state) -------------------------
c.JupyterHub.services = [{"name": "kit", "api_token": os.environ["KIT_HUB_API_TOKEN"]}]
IDLE_MIN = max(15, int(os.environ.get("KIT_HUB_IDLE_MIN", "120")))
c.JupyterHub.services.append({
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_MIN * 60}",
                "--cull-every=300"],
})
c.JupyterHub.load_roles = [
    {"name": "kit", "services": ["kit"],
     "scopes": ["admin:users", "admin:servers", "list:users", "read:users", "access:servers"]},
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]

# -- spawner: one local process per member, opened in the group's folder ------------------
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = ["--KernelManager.transport=ipc", "--ServerApp.shutdown_no_activity_timeout=0"]
if os.geteuid() == 0:
    c.Spawner.args.append("--ServerApp.allow_root=True")
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180                  # 40 servers at once on 2 cores: ~65 s
c.Spawner.http_timeout = 180
c.JupyterHub.concurrent_spawn_limit = 100
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "KIT_LANG", "KIT_WATCH_S", "VIRTUAL_ENV"]

# No news toast; no notebook autosave: a group's members open the same .ipynb, and two Labs
# saving it would raise "File Changed". The widgets save the group's work.json themselves.
SETTINGS = [
    ("apputils-extension", "notification.jupyterlab-settings",
     {"fetchNews": "false", "checkForUpdates": False}),
    ("docmanager-extension", "plugin.jupyterlab-settings", {"autosave": False}),
]


def _pre_spawn(spawner):
    """The member's folder, a short socket folder and a quiet JupyterLab (no news toast)."""
    name = spawner.user.name
    if name == ADMIN:
        folder = SESSION
        if (SESSION / "00_overview.ipynb").is_file():
            spawner.default_url = "/lab/tree/00_overview.ipynb"
    else:
        folder = SESSION / "groups" / MEMBERS[name]
        first = folder / "notebooks" / "01_as_is.ipynb"
        if first.is_file():
            spawner.default_url = "/lab/tree/notebooks/01_as_is.ipynb"
    spawner.notebook_dir = str(folder)
    home = Path(spawner.home_dir)
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for plugin, file, values in SETTINGS:
        (settings / plugin).mkdir(parents=True, exist_ok=True)
        (settings / plugin / file).write_text(json.dumps(values))
    runtime = RUNTIME / name
    runtime.mkdir(parents=True, exist_ok=True)
    spawner.environment.update({
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "MPLCONFIGDIR": str(home / ".mpl"),
        "KIT_HUB_USER": name,
        "KIT_HUB_GROUP": MEMBERS.get(name, ""),
    })


c.Spawner.pre_spawn_hook = _pre_spawn
