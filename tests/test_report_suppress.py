"""Complementary suppression holds: on many generated tables (with row, column and grand totals,
and nested totals as the report's question tables have), no hidden figure can be worked out
from the shown ones, by one subtraction, by the bounds a reader knows, or by any combination of
subtractions. The attacker here is written independently of ``governance_report.suppress``:
exact fractions, every line tried."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from governance_report.suppress import FLOOR, Grid, threshold


def table_grid(cells: list[list[int]], k: int = FLOOR) -> Grid:
    """A table with row totals, column totals and a grand total, as the report builds them."""
    grid = Grid(k)
    rows, cols = len(cells), len(cells[0])
    for r in range(rows):
        for c in range(cols):
            grid.add((r, c), cells[r][c])
        grid.add((r, "t"), sum(cells[r]))
        grid.line((r, "t"), [(r, c) for c in range(cols)])
    for c in range(cols):
        grid.add(("t", c), sum(cells[r][c] for r in range(rows)))
        grid.line(("t", c), [(r, c) for r in range(rows)])
    grid.add(("t", "t"), sum(map(sum, cells)))
    grid.line(("t", "t"), [("t", c) for c in range(cols)])
    grid.line(("t", "t"), [(r, "t") for r in range(rows)])
    return grid


def equations(grid: Grid):
    """Each line as (coefficients over hidden keys, the constant a reader knows)."""
    for total, parts in grid.lines:
        coef, known = {}, 0
        for key, sign in ((total, -1), *((p, 1) for p in parts)):
            if grid.hidden(key):
                coef[key] = coef.get(key, 0) + sign
            else:
                known -= sign * grid.values[key]
        yield {k: v for k, v in coef.items() if v}, known


def recoverable_by_algebra(grid: Grid) -> list:
    """Hidden keys fixed by some combination of the lines: Gauss-Jordan over exact fractions."""
    hidden = [k for k in grid.values if grid.hidden(k)]
    matrix = [[Fraction(c.get(k, 0)) for k in hidden] for c, _ in equations(grid) if c]
    pivots, row = [], 0
    for col in range(len(hidden)):
        pivot = next((r for r in range(row, len(matrix)) if matrix[r][col]), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][col]
        matrix[row] = [v / lead for v in matrix[row]]
        for r in range(len(matrix)):
            if r != row and matrix[r][col]:
                f = matrix[r][col]
                matrix[r] = [a - f * b for a, b in zip(matrix[r], matrix[row])]
        pivots.append((row, col))
        row += 1
    return [hidden[col] for r, col in pivots if sum(1 for v in matrix[r] if v) == 1]


def recoverable_by_subtraction(grid: Grid) -> list:
    """Every line tried alone: a total minus its shown parts (or a shown total's parts added
    up) that leaves one hidden figure, or hidden figures pinned by the bounds a reader knows
    ("fewer than k" is 0 to k-1; "not shown" is k or more, as every smaller count is hidden)."""
    found = []
    for coef, known in equations(grid):
        if len(coef) == 1:
            found += list(coef)
        elif coef and all(v == 1 for v in coef.values()):
            low = sum(grid.k if key in grid.protect else 0 for key in coef)
            high = None if any(key in grid.protect for key in coef) else (grid.k - 1) * len(coef)
            if known in (low, high):
                found += list(coef)
    return found


def check(grid: Grid):
    grid.suppress()
    for key, value in grid.values.items():
        if value < grid.k:
            assert key in grid.small and grid.text(key) == f"fewer than {grid.k}"
        else:
            assert key not in grid.small
    assert recoverable_by_subtraction(grid) == []
    assert recoverable_by_algebra(grid) == []


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 5).flatmap(lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=1, max_size=6)))
def test_no_hidden_cell_of_a_table_can_be_worked_out(cells):
    check(table_grid(cells))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=5), min_size=1, max_size=6))
def test_no_hidden_answer_count_can_be_worked_out(questions):
    """The question tables' shape: answers → right/wrong → answered, per question, plus a total."""
    grid = Grid(FLOOR)
    for q, answers in enumerate(questions):
        keys = [grid.add(("a", q, n), v) for n, v in enumerate(answers)]
        right, wrong = keys[:1], keys[1:]
        grid.add(("r", q), sum(answers[:1]))
        grid.add(("w", q), sum(answers[1:]))
        grid.add(("n", q), sum(answers))
        grid.line(("r", q), right)
        if wrong:                       # as the report does: a "wrong" total only over wrong answers
            grid.line(("w", q), wrong)
            grid.line(("n", q), [("r", q), ("w", q)])
        grid.line(("n", q), keys)
    grid.add("all", sum(map(sum, questions)))
    grid.line("all", [("n", q) for q in range(len(questions))])
    check(grid)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(counts, min_size=3, max_size=3), min_size=2, max_size=4), st.integers(5, 9))
def test_a_higher_threshold_holds_too(cells, k):
    check(table_grid(cells, k))


def test_the_attacker_finds_what_no_suppression_leaves():
    """The checks can fail: with only the small cells hidden, one subtraction gives them away."""
    grid = table_grid([[3, 20, 30], [12, 14, 40]])
    grid.small = {key for key, v in grid.values.items() if v < grid.k}
    assert (0, 0) in recoverable_by_subtraction(grid)
    grid.suppress()
    assert (0, 0) in grid.small and grid.protect


def test_zero_and_bounds_are_protected():
    """Two hidden parts adding up to 0 would each be 0: another part is hidden."""
    grid = table_grid([[0, 0, 25, 30]])
    check(grid)
    assert grid.protect


def test_threshold_is_never_below_five():
    assert threshold(None) == 5 and threshold(3) == 5 and threshold(8) == 8


@pytest.mark.parametrize("learners,modules", [(9, ("stigma",)), (30, ("stigma", "trauma-informed", "pathway")),
                                              (70, None)])
def test_a_whole_report_leaves_nothing_to_work_out(learners, modules):
    """The report's own grid, built from generated Moodle downloads: every table's figures and
    the sums between them, attacked as above."""
    from benchmarks import moodle_exports as mx
    from coursepack.load import require_pack
    from governance_report import decode, exports, figures, formats
    from governance_report.periods import Period
    from support import CONTENT
    import tempfile
    from pathlib import Path
    pack = require_pack(CONTENT).pack
    takings = mx.simulate(pack, learners, modules, seed=learners)
    with tempfile.TemporaryDirectory() as folder:
        files = mx.write_set(Path(folder), pack, takings, mx.names(learners), "csv", modules)
        inputs = exports.Inputs(decode.from_pack(pack))
        for path in files:
            exports.read_sheet(formats.read(path), inputs)
    grid = figures.build(inputs, pack, Period(), 5).grid
    assert grid.small                                   # there is something to protect
    assert recoverable_by_subtraction(grid) == []
    assert recoverable_by_algebra(grid) == []
