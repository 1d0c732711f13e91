"""JSON Schemas of plan files and of stakeholders.yaml, generated from the models."""

from __future__ import annotations

import json

from workplan_cli.plan.model import Plan, StakeholderFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# File names under schema/ that the data files' `# yaml-language-server: $schema=` lines name.
PLAN_SCHEMA_FILE = "workplan.schema.json"
STAKEHOLDERS_SCHEMA_FILE = "stakeholders.schema.json"


def plan_schema() -> dict:
    """Returns the JSON Schema of a plan file (data/workplan-VERSION.yaml)."""
    return _schema(
        Plan,
        "workplan plan file",
        "A Work Plan: plan metadata, then areas -> topics -> objectives and activities. "
        "Rules across fields (unique ids, id prefixes, references to stakeholders.yaml, "
        "histories that agree with the status) are checked by `workplan validate`.",
    )


def stakeholders_schema() -> dict:
    """Returns the JSON Schema of data/stakeholders.yaml."""
    return _schema(
        StakeholderFile,
        "workplan stakeholders file",
        "The institutions and stakeholder groups that plans refer to by id. "
        "Unique ids are checked by `workplan validate`.",
    )


def _schema(model, title: str, description: str) -> dict:
    # by_alias: the schema names the keys as the YAML files write them (`from`, not `from_`).
    from pydantic import TypeAdapter

    generated = TypeAdapter(model).json_schema(by_alias=True, mode="validation")
    generated.pop("title", None)
    generated.pop("description", None)
    return {"$schema": DIALECT, "title": title, "description": description, **generated}


def render(schema: dict) -> str:
    """Returns the schema as the committed files hold it: two-space indent, UTF-8."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
