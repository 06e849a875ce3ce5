"""The model's field types and its base class: how every value a user types is parsed and
checked (numbers and minutes as clerks write them, names, free text, ISO dates), and the
base model that turns a validation error into the kit's InputError. Pure, like the model.
"""

from __future__ import annotations

import math
import re
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from kit.domain import values
from kit.domain.dates import check_date
from kit.domain.values import CONTROL_RE, clean_line, clean_text, to_bool, to_number

MAX_NAME = 200
MAX_TEXT = 2000
MAX_MINUTES = 100_000        # ~70 days of one person's time per case: beyond is a typo
MAX_CASES = 100_000_000
MAX_YEN = 1e13
SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


# --- boundary parsing ---------------------------------------------------------------------
def _no_control(value: str) -> str:
    if CONTROL_RE.search(value):
        raise ValueError("control")
    return value


def _finite(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise ValueError("number")
    return value


Number = Annotated[float, BeforeValidator(to_number)]
# minutes as clerks type them (0:10, 1時間半, 約8, 10〜15): the sheet import's one parser
Minutes = Annotated[float, BeforeValidator(values.to_minutes), Field(ge=0, le=MAX_MINUTES)]
Share = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1)]
Days = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=3650)]
Yen = Annotated[float, BeforeValidator(to_number), Field(ge=0, le=MAX_YEN)]
Flag = Annotated[bool, BeforeValidator(to_bool)]
Name = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_TEXT)]
IsoDate = Annotated[str, BeforeValidator(check_date)]


def new_id() -> str:
    return uuid.uuid4().hex[:12]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False,
                              use_enum_values=False, str_strip_whitespace=True)

    @classmethod
    def parse(cls, data: Any, *, where: str = ""):
        """Construct from a dict, turning a validation error into the kit's InputError."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            from kit.domain.messages import input_error
            raise input_error(exc, where=where) from None

    @field_validator("*", mode="after")
    @classmethod
    def _check_text_and_numbers(cls, value):
        if isinstance(value, str):
            return _no_control(value)
        if isinstance(value, float):
            return _finite(value)
        return value
