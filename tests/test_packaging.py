"""environment.yml and pyproject.toml list the same packages; catalogues are complete."""

import re
from pathlib import Path

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
