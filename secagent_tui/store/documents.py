"""JSON documents read back into the domain's models at the store's edge, so no layer above
handles a stored triage or verdict as a bare dict.

A document the model refuses (written by hand, or by a build whose shape was older) is
logged and read as absent: a finding with an unreadable verdict shows "no verdict" and can
be analysed again, where a crash would hide every other finding of the queue."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


def typed_doc(model: type[M], doc: Any) -> M | None:
    if doc is None:
        return None
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        log.warning("stored %s unreadable, shown as absent: %s", model.__name__, exc)
        return None
