"""Every entry's shipped configs name their sources: each `shipped/*.json` has exactly one row in `shipped/SOURCES.md`,
every row names a file there, each file is a JSON object naming its class (`_class_name`) unless its source says the
file has no `_` keys, and the entry's SHIPPED is what the folder holds, in the table's order."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from parity import entries
from parity.entries.common import shipped

NO_CLASS_NAME = "no `_` keys"  # how a source says its file has none (Qwen-Image's: values a trainer writes out)


def _folder(name: str) -> Path:
    return Path(entries.load(name).package.__file__).parent / "shipped"


@pytest.mark.parametrize("name", entries.ENTRIES)
def test_every_file_has_one_row_and_every_row_a_file(name):
    folder = _folder(name)
    rows = Counter(file for file, _ in shipped.sources(folder))
    files = {path.name for path in folder.glob("*.json")}
    assert files, f"{folder} holds no shipped config"
    assert {file: rows[file] for file in files if rows[file] != 1} == {}, "files without exactly one row"
    assert set(rows) - files == set(), "rows naming no file"


@pytest.mark.parametrize("name", entries.ENTRIES)
def test_every_file_is_a_config_naming_its_class_unless_its_source_says_not(name):
    folder = _folder(name)
    for file, source in shipped.sources(folder):
        config = json.loads((folder / file).read_text(encoding="utf-8"))
        assert isinstance(config, dict), file
        assert ("_class_name" in config) == (NO_CLASS_NAME not in source), file


@pytest.mark.parametrize("name", entries.ENTRIES)
def test_the_entrys_shipped_is_the_folder(name):
    assert list(entries.load(name).part("shipped").SHIPPED.items()) == list(shipped.load(_folder(name)).items())
