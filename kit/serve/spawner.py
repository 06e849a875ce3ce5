"""The room's spawner on one machine: each member's server runs as their group's system user.

JupyterHub's ``LocalProcessSpawner`` switches to the system user named like the hub user
(``g01-a``); a room has one system user per *group* (``kit.serve.sysusers``), so this spawner
maps the member to it. Home and runtime folders are per member, outside the session and
outside ``SESSION/.hub`` (the hub prepares them before the start). A login not mapped — the
facilitator — runs as the hub's own user.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Dict, Unicode

from kit.serve.sysusers import NOLOGIN


class GroupSpawner(LocalProcessSpawner):
    system_users = Dict(help="hub user name -> the system user its server runs as").tag(
        config=True)
    home_root = Unicode(help="folder of the members' homes, one per login").tag(config=True)

    def system_user(self, name: str | None = None) -> str | None:
        return self.system_users.get(name or self.user.name)

    def home(self, name: str | None = None) -> Path:
        return Path(self.home_root) / (name or self.user.name)

    def make_preexec_fn(self, name):
        system = self.system_user(name)
        switch = set_user_setuid(system, chdir=False) if system else None
        home = str(self.home(name))

        def preexec():
            if switch:
                switch()
            os.chdir(home)

        return preexec

    def user_env(self, env):
        system = self.system_user()
        env["USER"] = system or pwd.getpwuid(os.getuid()).pw_name
        env["HOME"] = str(self.home())
        env["SHELL"] = NOLOGIN if system else "/bin/bash"
        return env
