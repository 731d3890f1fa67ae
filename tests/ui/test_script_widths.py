"""Gujarati and Tamil are measured as tmux draws them (figures from benchmarks/tmux_borders.py)."""

from __future__ import annotations

from rich.cells import cell_len

from screens.script_widths import count_spacing_marks


def test_spacing_vowel_signs_take_a_cell_as_in_tmux() -> None:
    count_spacing_marks()
    # tmux 3 at 80x24 put the cursor at these columns after each (Rich said 24, 14, 3).
    assert cell_len("உங்கள் அருகில் உதவியைக் கண்டறியுங்கள்") == 30
    assert cell_len("તમારી નજીક મદદ શોધો") == 19
    assert cell_len("ભાષાઓ") == 5
    # Marks drawn on their letter stay in it; other scripts are as before.
    assert cell_len("க்") == 1 and cell_len("ક્") == 1
    assert cell_len("Znajdź pomoc w okolicy") == 22
    assert cell_len("中文") == 4
    count_spacing_marks()  # a second call changes nothing
    assert cell_len("ભાષાઓ") == 5
