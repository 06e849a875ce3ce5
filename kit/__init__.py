"""BPR workshop kit: As-Is/To-Be workflows, impact, system selection and offline handouts.

The core (model, impact, tables, store) imports no Jupyter, widgets or matplotlib.
"""

from kit.domain.model import (
                    Action,
                    Actor,
                    Assumptions,
                    Channel,
                    Costs,
                    FundingSource,
                    GroupWork,
                    Phase,
                    Session,
                    Step,
                    SystemOption,
                    ValueClass,
)
from kit.exceptions import ConflictError, InputError, KitError, RenderError, StoreError

__all__ = [
    "Action", "Actor", "Assumptions", "Channel", "ConflictError", "Costs", "FundingSource",
    "GroupWork", "InputError", "KitError", "Phase", "RenderError", "Session", "Step",
    "StoreError", "SystemOption", "ValueClass",
]
__version__ = "0.1.0"
