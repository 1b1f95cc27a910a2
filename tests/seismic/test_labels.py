"""Tests of class tables: defaults, JSON round trip, lookup beside a label file, legends."""

import json

import pytest

from seismic.errors import InputNotFoundError, InvalidInputError
from seismic.labels import MAX_LEGEND_LINE, ClassTable, find_class_table, has_class_table


def _table():
    return ClassTable(
        names=["parallel", "chaotic", "channel"],
        colours=["#1f77b4", "#D62728", "#ff7f0e"],
        kinds=["stratigraphic", "stratigraphic", "geomorphologic"],
    )


class TestClassTable:
    def test_default_names_and_kinds(self):
        table = ClassTable.default(3)
        assert len(table) == 3
        assert table.names == ("class 0", "class 1", "class 2")
        assert table.kinds == ("stratigraphic",) * 3

    def test_default_colours_distinct_and_hex(self):
        table = ClassTable.default(12)
        assert len(set(table.colours)) == 12
        assert all(len(colour) == 7 and colour.startswith("#") for colour in table.colours)

    def test_default_rejects_zero_classes(self):
        with pytest.raises(InvalidInputError, match="at least 1"):
            ClassTable.default(0)

    def test_colours_stored_lowercase(self):
        assert _table().colours[1] == "#d62728"

    def test_json_round_trip(self, tmp_path):
        path = _table().to_json(tmp_path / "classes.json")
        assert ClassTable.from_json(path) == _table()

    def test_json_layout(self, tmp_path):
        path = _table().to_json(tmp_path / "classes.json")
        data = json.loads(path.read_text())
        assert data["classes"][2] == {"index": 2, "name": "channel", "colour": "#ff7f0e", "kind": "geomorphologic"}

    def test_dict_round_trip(self):
        assert ClassTable.from_dict(_table().to_dict()) == _table()

    def test_from_dict_fills_defaults(self):
        table = ClassTable.from_dict({"classes": [{"name": "sand"}, {"name": "shale", "color": "#000000"}]})
        assert table.names == ("sand", "shale")
        assert table.colours[1] == "#000000"
        assert table.kinds == ("stratigraphic", "stratigraphic")

    @pytest.mark.parametrize(
        ("names", "colours", "kinds", "match"),
        [
            (["a", "b"], ["#000000"], ["stratigraphic", "stratigraphic"], "2 names, 1 colours"),
            ([], [], [], "no classes"),
            (["a", "a"], ["#000000", "#ffffff"], ["stratigraphic"] * 2, "repeated"),
            (["a", " "], ["#000000", "#ffffff"], ["stratigraphic"] * 2, "empty name"),
            (["a"], ["red"], ["stratigraphic"], "'red' is invalid"),
            (["a"], ["#000000"], ["structural"], "'structural' is invalid"),
        ],
    )
    def test_invalid_tables_rejected(self, names, colours, kinds, match):
        with pytest.raises(InvalidInputError, match=match):
            ClassTable(names, colours, kinds)

    def test_from_dict_rejects_indexes_out_of_order(self):
        with pytest.raises(InvalidInputError, match="index 1"):
            ClassTable.from_dict({"classes": [{"index": 1, "name": "a"}]})

    def test_from_dict_rejects_missing_list(self):
        with pytest.raises(InvalidInputError, match="'classes' list"):
            ClassTable.from_dict({"names": ["a"]})

    def test_from_json_missing_file(self, tmp_path):
        with pytest.raises(InputNotFoundError):
            ClassTable.from_json(tmp_path / "absent.json")

    def test_from_json_invalid_json_names_file(self, tmp_path):
        path = tmp_path / "classes.json"
        path.write_text("{not json")
        with pytest.raises(InvalidInputError, match="classes.json is not valid JSON"):
            ClassTable.from_json(path)

    def test_legend_lines(self):
        assert _table().legend_lines() == [
            "FACIES LEGEND: -1 no trace/unlabelled",
            "0 parallel (stratigraphic)",
            "1 chaotic (stratigraphic)",
            "2 channel (geomorphologic)",
        ]

    def test_legend_lines_cut_long_names(self):
        table = ClassTable(["x" * 200], ["#000000"], ["geomorphologic"])
        line = table.legend_lines()[1]
        assert len(line) == MAX_LEGEND_LINE
        assert line.endswith(" (geomorphologic)")


class TestFindClassTable:
    def test_defaults_when_absent(self, tmp_path):
        assert find_class_table(tmp_path / "labels.sgy", n_classes=4) == ClassTable.default(4)

    def test_absent_without_count_raises(self, tmp_path):
        with pytest.raises(InvalidInputError, match="pass the class count"):
            find_class_table(tmp_path / "labels.sgy")

    def test_reads_folder_table(self, tmp_path):
        _table().to_json(tmp_path / "classes.json")
        assert find_class_table(tmp_path / "labels.sgy") == _table()

    def test_stem_table_wins_over_folder_table(self, tmp_path):
        ClassTable.default(3).to_json(tmp_path / "classes.json")
        _table().to_json(tmp_path / "labels.classes.json")
        assert find_class_table(tmp_path / "labels.sgy", n_classes=3) == _table()

    def test_count_mismatch_names_both_counts(self, tmp_path):
        _table().to_json(tmp_path / "classes.json")
        with pytest.raises(InvalidInputError, match="lists 3 classes but 6 are expected"):
            find_class_table(tmp_path / "labels.npy", n_classes=6)


def test_has_class_table_finds_either_name(tmp_path):
    labels = tmp_path / "labels.sgy"
    assert not has_class_table(labels)

    ClassTable.default(3).to_json(tmp_path / "labels.classes.json")
    assert has_class_table(labels)

    (tmp_path / "labels.classes.json").unlink()
    ClassTable.default(3).to_json(tmp_path / "classes.json")
    assert has_class_table(labels)
