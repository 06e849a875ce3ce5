"""environment.yml and pyproject.toml list the same packages; catalogues are complete; the
wheel carries everything `kit demo` needs."""

import os
import re
import shutil
import subprocess
import sys
import venv as venv_mod
import zipfile
from pathlib import Path

import pytest
import tomllib
import yaml

from kit import i18n

ROOT = Path(__file__).resolve().parent.parent


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_and_pyproject_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = {_name(d) for d in project["dependencies"]}
    py |= {_name(d) for d in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip |= {_name(d) for d in dep["pip"] if not d.startswith("-e")}
        else:
            conda.add(_name(dep))
    conda -= {"python", "pip"}
    assert conda | pip == py
    assert not conda & pip


def test_message_catalogues_have_the_same_keys():
    assert set(i18n.MESSAGES["ja"]) == set(i18n.MESSAGES["en"])
    assert set(i18n.LABELS["ja"]) == set(i18n.LABELS["en"])


def test_japanese_formatting():
    assert i18n.fmt_yen(1234567) == "1,234,567円"
    assert i18n.fmt_yen(-5000, "en") == "-¥5,000"
    assert i18n.fmt_hours(41.4) == "41.4時間"
    assert i18n.fmt_date("2026-11-26") == "2026年11月26日"
    assert i18n.fmt_date("2026-11-06", "en") == "6 Nov 2026"
    assert i18n.label("actor", "resident") == "住民"
    assert i18n.label("phase", "quick_win", "en") == "quick win"


# --- a real package: build the wheel, install it elsewhere, run the demo -----------------
def _site_packages() -> str:
    import sysconfig

    return sysconfig.get_paths()["purelib"]


def _run(argv: list, **kwargs) -> str:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{argv}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_wheel_installs_and_runs_the_demo_from_an_empty_folder(tmp_path):
    """Build the wheel, install it (no dependencies) into a fresh venv, run `kit demo`.

    The dependencies are this venv's, made visible through PYTHONPATH (its editable `kit` is
    activated only by a .pth file, which PYTHONPATH entries do not run): the `kit` that runs,
    and that the kernels import, is the wheel's.
    """
    dist, venv, empty = tmp_path / "dist", tmp_path / "venv", tmp_path / "empty"
    empty.mkdir()
    source = tmp_path / "source"             # the build writes build/ and *.egg-info: not here
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "*.egg-info", "demo_out", "__pycache__",
        ".*_cache", ".hub"))
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
          "-w", dist, source], env=clean)
    (wheel,) = dist.glob("bpr_workshop_kit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kit/workshops/01_as_is.ipynb", "kit/templates/group_report.ipynb",
                   "kit/templates/steps_template.xlsx", "kit/samples/demo/groups.csv",
                   "kit/samples/demo/steps/g01.csv", "kit/serve/jupyterhub_config.py",
                   "kit/i18n/ja/deploy.yaml", "kit/render/nbconvert_templates/bpr_handout/conf.json",
                   "kit/serve/voila_share/voila/templates/bpr_app/index.html.j2"):
        assert needed in names, needed
    venv_mod.create(venv, with_pip=False)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
         env=clean)
    env = dict(clean, PYTHONPATH=_site_packages(), KIT_LANG="en",
               JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))   # nbconvert's base
    where = _run([python, "-c", "import kit; print(kit.__file__)"], cwd=empty, env=env)
    assert Path(where.strip()).is_relative_to(venv)
    _run([python, "-m", "kit", "demo", "--out", "X"], cwd=empty, env=env, timeout=300)
    handouts = sorted(p.name for p in (empty / "X" / "handouts").glob("*.html"))
    assert handouts == ["g01.html", "g02.html", "g03.html", "g04.html", "session_summary.html"]
    assert not (empty / "X" / "handouts" / "_failed").exists()
    script = venv / ("Scripts/kit.exe" if os.name == "nt" else "bin/kit")
    assert "demo" in _run([script, "--help"], env=env)


def test_pyproject_has_no_deprecated_license_table():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert isinstance(project["license"], str)       # SPDX expression (setuptools >= 77)
