"""The DAG flows one way: sources → staging → intermediate → marts.

Read from dbt's own manifest (written by the shared sample build), so refs made inside macros
count too: no staging or intermediate model may read a mart, staging models alone read
sources and seeds, and every mart reads the streams in scope, another mart, or an intermediate
model — never a staging model or a source directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def layer(node: dict) -> str:
    if node["resource_type"] in ("source", "seed"):
        return node["resource_type"]
    return node["fqn"][1]  # models/<layer>/…: staging, intermediate, marts


@pytest.fixture(scope="module")
def models(built_sample_db: Path) -> dict[str, dict]:
    manifest = json.loads((built_sample_db.parent / "target" / "manifest.json").read_text())
    nodes = {**manifest["nodes"], **manifest["sources"]}
    return {
        uid: {**node, "parents": [nodes[p] for p in node["depends_on"]["nodes"]]}
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def test_no_staging_or_intermediate_model_reads_a_mart(models):
    wrong = [
        (node["name"], parent["name"])
        for node in models.values()
        if layer(node) in ("staging", "intermediate")
        for parent in node["parents"]
        if layer(parent) == "marts"
    ]
    assert wrong == []


def test_only_staging_reads_sources_and_seeds(models):
    wrong = [
        (node["name"], parent["name"])
        for node in models.values()
        if layer(node) != "staging"
        for parent in node["parents"]
        if layer(parent) in ("source", "seed")
    ]
    assert wrong == []


def test_marts_read_no_staging_model(models):
    wrong = [
        (node["name"], parent["name"])
        for node in models.values()
        if layer(node) == "marts"
        for parent in node["parents"]
        if layer(parent) == "staging" and not parent["name"].startswith("stg_seeds__")
    ]
    assert wrong == []
    assert {layer(node) for node in models.values()} == {"staging", "intermediate", "marts"}
