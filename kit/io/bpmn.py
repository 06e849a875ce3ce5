"""BPMN 2.0 out and in: a group's workflow for bpmn.io, Camunda Modeler and other process tools.

``write_bpmn`` writes one pool (the group's theme) with one lane per actor, a start event, one
task per step, an end event, sequence flows with their ``incoming``/``outgoing`` references,
and diagram interchange (BPMN DI) so the tools open it as drawn. The layout is the swimlane
chart's (:mod:`kit.domain.flow_layout`): the same lanes in the same order and the steps in
the same sequence, drawn the BPMN way — lanes as horizontal bands, the sequence left to
right. The To-Be view (``view="tobe"``) leaves eliminated steps out and includes new ones.

``read_bpmn`` reads lanes and tasks back: tasks in sequence-flow order from the start
event, each task's actor from its lane. A task the kit wrote (``Task_<step id>``) keeps the
rest of that step (minutes, value class, …) when ``known`` steps are given.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from kit import i18n
from kit.domain.flow_layout import flow_layout
from kit.domain.model import Actor, GroupWork, Step
from kit.exceptions import InputError
from kit.io import store

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
for _prefix, _uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI)):
    ET.register_namespace(_prefix, _uri)
TARGET_NS = "urn:bpr-workshop-kit:bpmn"
MAX_MB = 20

# geometry (BPMN DI pixels): lanes are bands, steps follow left to right
POOL_X, POOL_Y, LABEL_W = 100, 60, 30
LANE_H, STEP_DX, LEAD_W = 120, 150, 100
TASK_W, TASK_H, EVENT = 100, 80, 36
TASK_TYPES = {"task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask",
              "scriptTask", "businessRuleTask", "callActivity", "subProcess"}


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: ET.Element, ns: str, tag: str, **attrs) -> ET.Element:
    return ET.SubElement(parent, _q(ns, tag), {k: str(v) for k, v in attrs.items()})


def _task_id(step: Step) -> str:
    return f"Task_{step.id}"


# --- export ------------------------------------------------------------------------------
def bpmn_xml(work: GroupWork, view: str = "asis", lang: str = "ja") -> bytes:
    layout = flow_layout(work, view, drop_eliminated=True, lanes_of_shown=True)
    steps, lanes = layout.steps, layout.lanes
    n = len(steps)
    defs = ET.Element(_q(BPMN, "definitions"), {
        "id": "Definitions_kit", "targetNamespace": TARGET_NS,
        "exporter": "BPR workshop kit", "exporterVersion": "1"})
    collab = _sub(defs, BPMN, "collaboration", id="Collaboration_kit")
    pool_name = i18n.t("deploy.bpmn_pool", lang, theme=work.theme,
                       view=i18n.t(f"deploy.{view}", lang))
    _sub(collab, BPMN, "participant", id="Participant_kit", name=pool_name,
         processRef="Process_kit")
    proc = _sub(defs, BPMN, "process", id="Process_kit", isExecutable="false")

    ids = ["StartEvent_kit", *[_task_id(s) for s in steps], "EndEvent_kit"]
    lane_of = [layout.lane_of[0] if n else 0, *layout.lane_of,
               layout.lane_of[-1] if n else 0]
    if lanes:
        lane_set = _sub(proc, BPMN, "laneSet", id="LaneSet_kit")
        for j, actor in enumerate(lanes):
            lane = _sub(lane_set, BPMN, "lane", id=f"Lane_{actor.value}",
                        name=i18n.label("actor", actor, lang))
            for node, k in zip(ids, lane_of, strict=True):
                if k == j:
                    ET.SubElement(lane, _q(BPMN, "flowNodeRef")).text = node
    flows = [(f"Flow_{i}", ids[i], ids[i + 1]) for i in range(len(ids) - 1)]
    outgoing = {src: fid for fid, src, _ in flows}
    incoming = {dst: fid for fid, _, dst in flows}
    names = [i18n.t("deploy.bpmn_start", lang), *[s.name for s in steps],
             i18n.t("deploy.bpmn_end", lang)]
    for i, (node, name) in enumerate(zip(ids, names, strict=True)):
        kind = "startEvent" if i == 0 else "endEvent" if i == len(ids) - 1 else "task"
        el = _sub(proc, BPMN, kind, id=node, name=name)
        if 0 < i < len(ids) - 1 and steps[i - 1].pain:
            ET.SubElement(el, _q(BPMN, "documentation")).text = steps[i - 1].pain
        if node in incoming:
            ET.SubElement(el, _q(BPMN, "incoming")).text = incoming[node]
        if node in outgoing:
            ET.SubElement(el, _q(BPMN, "outgoing")).text = outgoing[node]
    for fid, src, dst in flows:
        _sub(proc, BPMN, "sequenceFlow", id=fid, sourceRef=src, targetRef=dst)
    _diagram(defs, ids, lane_of, lanes, flows)
    ET.indent(defs)
    return ET.tostring(defs, encoding="utf-8", xml_declaration=True) + b"\n"


def _bounds(parent: ET.Element, x: float, y: float, w: float, h: float) -> None:
    _sub(parent, DC, "Bounds", x=int(x), y=int(y), width=int(w), height=int(h))


def _diagram(defs, ids, lane_of, lanes, flows) -> None:
    """BPMN DI: the pool, lane bands, a box per node, each flow as waypoints."""
    bands = max(1, len(lanes))
    pool_w = LABEL_W + LEAD_W + (len(ids) - 1) * STEP_DX + LEAD_W
    diagram = _sub(defs, BPMNDI, "BPMNDiagram", id="BPMNDiagram_kit")
    plane = _sub(diagram, BPMNDI, "BPMNPlane", id="BPMNPlane_kit", bpmnElement="Collaboration_kit")
    shape = _sub(plane, BPMNDI, "BPMNShape", id="Participant_kit_di",
                 bpmnElement="Participant_kit", isHorizontal="true")
    _bounds(shape, POOL_X, POOL_Y, pool_w, bands * LANE_H)
    for j, actor in enumerate(lanes):
        shape = _sub(plane, BPMNDI, "BPMNShape", id=f"Lane_{actor.value}_di",
                     bpmnElement=f"Lane_{actor.value}", isHorizontal="true")
        _bounds(shape, POOL_X + LABEL_W, POOL_Y + j * LANE_H, pool_w - LABEL_W, LANE_H)
    boxes = {}
    for i, (node, j) in enumerate(zip(ids, lane_of, strict=True)):
        centre_x = POOL_X + LABEL_W + LEAD_W / 2 + i * STEP_DX
        centre_y = POOL_Y + j * LANE_H + LANE_H / 2
        w, h = (TASK_W, TASK_H) if node.startswith("Task_") else (EVENT, EVENT)
        boxes[node] = (centre_x - w / 2, centre_y - h / 2, w, h)
        shape = _sub(plane, BPMNDI, "BPMNShape", id=f"{node}_di", bpmnElement=node)
        _bounds(shape, *boxes[node])
    for fid, src, dst in flows:
        sx, sy, sw, sh = boxes[src]
        tx, ty, _, th = boxes[dst]
        start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
        points = [start, end]
        if start[1] != end[1]:               # to another lane: across, down/up, across
            mid = (start[0] + end[0]) / 2
            points = [start, (mid, start[1]), (mid, end[1]), end]
        edge = _sub(plane, BPMNDI, "BPMNEdge", id=f"{fid}_di", bpmnElement=fid)
        for x, y in points:
            _sub(edge, DI, "waypoint", x=int(x), y=int(y))


def write_bpmn(work: GroupWork, path: str | Path, view: str = "asis", lang: str = "ja") -> int:
    """Write the BPMN file; return the number of tasks in it."""
    store.atomic_write(Path(path), bpmn_xml(work, view, lang))
    return len(flow_layout(work, view, drop_eliminated=True).steps)


# --- import ------------------------------------------------------------------------------
def _bad(path: Path, detail: str) -> InputError:
    return InputError(*i18n.both("deploy.bpmn_bad", path=path.name, detail=detail),
                      field="bpmn", value=path.name)


def _actor_names() -> dict[str, Actor]:
    names: dict[str, Actor] = {}
    for actor in Actor:
        names[actor.value.lower()] = actor
        names[f"lane_{actor.value}".lower()] = actor
        for lang in i18n.LANGS:
            names[i18n.label("actor", actor, lang).strip().lower()] = actor
    return names


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(path: Path) -> ET.Element:
    data = path.read_bytes()
    if len(data) > MAX_MB * 1024 * 1024:
        raise _bad(path, f"> {MAX_MB} MB")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _bad(path, "DOCTYPE/ENTITY")           # no entity expansion from outside files
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _bad(path, str(exc)) from None
    if root.tag != _q(BPMN, "definitions"):
        raise _bad(path, f"root <{_local(root.tag)}>, expected bpmn:definitions")
    return root


def _task_order(process: ET.Element) -> list[ET.Element]:
    """Tasks in the order the sequence flows visit them from the start event(s)."""
    nodes = {el.get("id"): el for el in process.iter() if el.get("id")}
    tasks = [el for el in process.iter() if _local(el.tag) in TASK_TYPES]
    after: dict[str, list[str]] = {}
    for flow in process.iter(_q(BPMN, "sequenceFlow")):
        after.setdefault(flow.get("sourceRef", ""), []).append(flow.get("targetRef", ""))
    queue = [el.get("id") for el in process.iter(_q(BPMN, "startEvent"))]
    seen: list[str] = []
    while queue:
        node = queue.pop(0)
        if node in seen or node not in nodes:
            continue
        seen.append(node)
        queue.extend(after.get(node, []))
    position = {node: i for i, node in enumerate(seen)}
    return sorted(tasks, key=lambda el: position.get(el.get("id"), len(seen)))


def read_bpmn(path: str | Path, known: list[Step] | None = None) -> list[Step]:
    """The steps of a BPMN file (tasks of every process), each validated by the model."""
    path = Path(path)
    root = _parse(path)
    names = _actor_names()
    by_id = {_task_id(s): s for s in known or []}
    steps: list[Step] = []
    for process in root.iter(_q(BPMN, "process")):
        lane_of: dict[str, tuple[str, Actor]] = {}
        for lane in process.iter(_q(BPMN, "lane")):
            label = (lane.get("name") or "").strip()
            actor = names.get(label.lower()) or names.get((lane.get("id") or "").lower())
            if actor is None:
                allowed = ", ".join(f"{i18n.label('actor', a, 'ja')}/{a.value}" for a in Actor)
                raise InputError(*i18n.both("err.invalid", field="lane", value=label,
                                            detail=allowed), field="lane", value=label)
            for ref in lane.iter(_q(BPMN, "flowNodeRef")):
                lane_of[(ref.text or "").strip()] = (label, actor)
        for row, task in enumerate(_task_order(process), start=len(steps) + 1):
            task_id = task.get("id", "")
            actor = lane_of.get(task_id, (None, None))[1]
            old = by_id.get(task_id)
            data = old.model_dump(mode="json") if old else {}
            data["name"] = task.get("name") or ""
            if actor is not None:
                data["actor"] = actor.value
            doc = task.find(_q(BPMN, "documentation"))
            if not old and doc is not None and doc.text:
                data["pain"] = doc.text
            steps.append(Step.parse(data, where=f"{path.name} task {row} ({task_id})"))
    if not steps:
        raise InputError(*i18n.both("deploy.bpmn_no_tasks", path=path.name), field="bpmn",
                         value=path.name)
    return steps
