"""The warm-kernel engine: one kernel per worker, and nothing of one notebook left for the next."""

import json

import nbformat
import papermill  # noqa: F401  (before kit.render.engine: papermill loads it as an entry point)
import pytest

from kit.render import engine, pipeline

pytestmark = pytest.mark.slow


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _report(nb) -> dict:
    """The JSON the notebook's last cell printed."""
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text)


@pytest.fixture
def warm():
    yield
    engine.shutdown()


def test_the_next_notebook_runs_in_the_same_kernel_with_a_clean_namespace(tmp_path, warm):
    first = _notebook(tmp_path / "first.ipynb",
                      "import os, json, colorsys\n"
                      "secret_of_group_1 = 'g01'\n"
                      "def helper():\n    return secret_of_group_1",
                      "print(json.dumps({'pid': os.getpid(),"
                      " 'names': sorted(k for k in dir() if not k.startswith('_'))}))")
    second = _notebook(tmp_path / "second.ipynb",
                       "import os, sys, json\n"
                       "print(json.dumps({'pid': os.getpid(),"
                       " 'names': sorted(k for k in dir() if not k.startswith('_')),"
                       " 'module_kept': 'colorsys' in sys.modules}))")
    one = _report(pipeline.execute(first, {}))
    two = _report(pipeline.execute(second, {}))
    assert {"secret_of_group_1", "helper", "colorsys"} <= set(one["names"])
    assert two["pid"] == one["pid"]          # the same warm kernel ran both notebooks
    assert two["module_kept"]                # imports stay warm: that is the point
    leaked = {"secret_of_group_1", "helper", "colorsys"} & set(two["names"])
    assert not leaked, f"the first notebook's names leaked into the second: {leaked}"


def test_a_failed_notebook_leaves_nothing_for_the_next(tmp_path, warm):
    """A notebook that fails drops its kernel; the next starts in a fresh one, and the one
    after that still gets its namespace cleared (the reset sent after each notebook)."""
    from papermill.exceptions import PapermillExecutionError

    bad = _notebook(tmp_path / "bad.ipynb", "left_by_bad = 1", "raise ValueError('boom')")
    with pytest.raises(PapermillExecutionError):
        pipeline.execute(bad, {})
    probe = ("import os, json\n"
             "print(json.dumps({'pid': os.getpid(),"
             " 'names': sorted(k for k in dir() if not k.startswith('_'))}))")
    one = _report(pipeline.execute(_notebook(tmp_path / "one.ipynb", "left_by_one = 1",
                                             probe), {}))
    two = _report(pipeline.execute(_notebook(tmp_path / "two.ipynb", probe), {}))
    assert "left_by_bad" not in one["names"] and "left_by_one" in one["names"]
    assert two["pid"] == one["pid"] and "left_by_one" not in two["names"]
