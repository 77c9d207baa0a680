"""Every schema field and configuration key is documented in docs/records.md."""

from __future__ import annotations

from pydantic import BaseModel

from sitegen import model

from conftest import REPO


def _models():
    return [obj for obj in vars(model).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == model.__name__ and obj is not model.Record]


def test_every_field_is_documented():
    docs = (REPO / "docs/records.md").read_text(encoding="utf-8")
    missing = [f"{cls.__name__}.{f.alias or name}" for cls in _models() for name, f in cls.model_fields.items()
               if f"`{f.alias or name}`" not in docs]
    assert missing == []
    undocumented_models = [cls.__name__ for cls in _models() if f"**{cls.__name__}**" not in docs]
    assert undocumented_models == []
