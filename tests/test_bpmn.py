"""BPMN 2.0 export/import (`kit steps export … flow.bpmn [--to-be]`, `kit steps import`).

The files are checked with the tools of bpmn.io, installed by the test set-up into
tests/bpmn (`npm ci --prefix tests/bpmn`, part of `make setup`): the parser bpmn-js and
Camunda Modeler use (bpmn-moddle: no warnings) and bpmnlint's recommended rules (no errors).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kit import i18n
from kit.cli import main
from kit.domain.flow_layout import flow_layout
from kit.domain.model import Action
from kit.io import bpmn, store
from kit.workspace.demo import build_demo

TOOLS = Path(__file__).resolve().parent / "bpmn"
NS = {"bpmn": bpmn.BPMN, "bpmndi": bpmn.BPMNDI, "dc": bpmn.DC, "di": bpmn.DI}


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bpmn") / "session"
    build_demo(folder)
    return folder


def _node_tools() -> Path:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("Node.js/npm missing: the BPMN checks need bpmn-moddle and bpmnlint (npm)")
    if not (TOOLS / "node_modules" / "bpmnlint").is_dir():
        subprocess.run(["npm", "ci", "--prefix", str(TOOLS), "--no-audit", "--no-fund",
                        "--loglevel=error"], check=True, capture_output=True, timeout=300)
    return TOOLS / "check.mjs"


def check(path: Path) -> dict:
    done = subprocess.run(["node", str(_node_tools()), str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def errors(report: dict) -> list:
    return [(rule, r["message"]) for rule, found in report["lint"].items() for r in found
            if r.get("category") in ("error", "rule-error")]      # a crashed rule counts too


@pytest.mark.parametrize("view", ["asis", "tobe"])
def test_export_opens_in_bpmn_io_without_warnings_or_lint_errors(session, tmp_path, view):
    out = tmp_path / f"{view}.bpmn"
    argv = ["steps", "export", str(session), "g01", str(out)] + (["--to-be"] if view == "tobe"
                                                                  else [])
    assert main(argv) == 0
    report = check(out)
    assert report["warnings"] == [] and errors(report) == []
    work = store.load_work(session, "g01")
    shown = flow_layout(work, view, drop_eliminated=True).steps
    assert report["tasks"] == [s.name for s in shown]           # one task per step, in order
    if view == "tobe":
        gone = [s.name for s in work.steps if s.action == Action.eliminate]
        assert gone and not set(gone) & set(report["tasks"])


def test_the_checker_finds_problems(session, tmp_path):
    """A task without a shape, an unnamed event and an unknown element are all reported."""
    good = tmp_path / "good.bpmn"
    bpmn.write_bpmn(store.load_work(session, "g02"), good)
    text = good.read_text(encoding="utf-8")
    broken = re.sub(r"<bpmndi:BPMNShape id=\"Task_[^\"]*_di\".*?</bpmndi:BPMNShape>", "", text,
                    count=1, flags=re.S)
    broken = re.sub(r'(<bpmn:endEvent id="EndEvent_kit") name="[^"]*"', r"\1", broken)
    broken = broken.replace("<bpmn:laneSet", "<bpmn:notAThing id='x' /><bpmn:laneSet", 1)
    bad = tmp_path / "bad.bpmn"
    bad.write_text(broken, encoding="utf-8")
    report = check(bad)
    assert report["warnings"]
    assert {"no-bpmndi", "label-required"} <= {rule for rule, _ in errors(report)}


def test_structure_lanes_events_flows_and_diagram(session, tmp_path):
    work = store.load_work(session, "g03")
    out = tmp_path / "g03.bpmn"
    bpmn.write_bpmn(work, out, lang="en")
    root = ET.parse(out).getroot()
    proc = root.find("bpmn:process", NS)
    layout = flow_layout(work, "asis", drop_eliminated=True, lanes_of_shown=True)
    lanes = proc.findall("bpmn:laneSet/bpmn:lane", NS)
    assert [lane.get("name") for lane in lanes] == [i18n.label("actor", a, "en")
                                                    for a in layout.lanes]
    assert len(lanes) >= 2                    # the demo's g03 crosses lanes
    assert len(proc.findall("bpmn:startEvent", NS)) == 1
    assert len(proc.findall("bpmn:endEvent", NS)) == 1
    tasks = proc.findall("bpmn:task", NS)
    assert [t.get("name") for t in tasks] == [s.name for s in layout.steps]
    flows = {f.get("id"): f for f in proc.findall("bpmn:sequenceFlow", NS)}
    assert len(flows) == len(tasks) + 1
    for node in proc:                          # incoming/outgoing agree with the flows
        for ref in node.findall("bpmn:incoming", NS):
            assert flows[ref.text].get("targetRef") == node.get("id")
        for ref in node.findall("bpmn:outgoing", NS):
            assert flows[ref.text].get("sourceRef") == node.get("id")
    # diagram: each task in its lane's band, the sequence left to right, like the chart
    shapes = {s.get("bpmnElement"): s.find("dc:Bounds", NS)
              for s in root.iter(f"{{{bpmn.BPMNDI}}}BPMNShape")}
    xs = []
    for task, lane_index in zip(tasks, layout.lane_of, strict=True):
        box = shapes[task.get("id")]
        band = shapes[lanes[lane_index].get("id")]
        y, h = float(box.get("y")), float(box.get("height"))
        assert float(band.get("y")) <= y and y + h <= float(band.get("y")) + float(
            band.get("height"))
        xs.append(float(box.get("x")))
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{bpmn.BPMNDI}}}BPMNEdge")}
    assert edges == set(flows)


def test_round_trip_keeps_names_actors_and_the_rest(session, tmp_path):
    before = store.load_work(session, "g04")
    out = tmp_path / "g04.bpmn"
    assert main(["steps", "export", str(session), "g04", str(out)]) == 0
    # someone renames a task and adds one in a modelling tool
    text = out.read_text(encoding="utf-8")
    first = before.steps[0]
    text = text.replace(f'name="{first.name}"', 'name="受付（改名）"', 1)
    out.write_text(text, encoding="utf-8")
    assert main(["steps", "import", str(session), "g04", str(out)]) == 0
    after = store.load_work(session, "g04")
    assert [(s.name, s.actor) for s in after.steps] == \
        [("受付（改名）", first.actor)] + [(s.name, s.actor) for s in before.steps[1:]]
    assert [s.minutes for s in after.steps] == [s.minutes for s in before.steps]
    assert after.revision == before.revision + 1


def test_import_of_a_foreign_file_and_bad_files(session, tmp_path, capsys):
    foreign = tmp_path / "foreign.bpmn"            # as a modelling tool writes it: no kit ids
    foreign.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{bpmn.BPMN}" id="d" targetNamespace="x">
  <process id="p"><laneSet id="ls">
    <lane id="l1" name="窓口"><flowNodeRef>b</flowNodeRef></lane>
    <lane id="l2" name="Back office"><flowNodeRef>a</flowNodeRef></lane></laneSet>
    <startEvent id="s"/><userTask id="a" name="審査"/><task id="b" name="受付"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="b"/>
    <sequenceFlow id="f2" sourceRef="b" targetRef="a"/>
    <sequenceFlow id="f3" sourceRef="a" targetRef="e"/>
  </process></definitions>""", encoding="utf-8")
    steps = bpmn.read_bpmn(foreign)
    assert [(s.name, s.actor.value) for s in steps] == [("受付", "counter"),
                                                         ("審査", "back_office")]
    before = (session / "groups" / "g02" / "work.json").read_bytes()
    bad_lane = tmp_path / "lane.bpmn"
    bad_lane.write_text(foreign.read_text(encoding="utf-8").replace("窓口", "総務課"),
                        encoding="utf-8")
    entity = tmp_path / "entity.bpmn"
    entity.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
                      encoding="utf-8")
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<definitions", encoding="utf-8")
    for path, word in ((bad_lane, "総務課"), (entity, "DOCTYPE"), (broken, "broken.bpmn")):
        assert main(["steps", "import", str(session), "g02", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and word in err and err.count("\n") == 1
    assert (session / "groups" / "g02" / "work.json").read_bytes() == before
