"""Period codes of the indicator table are shown as people write them."""

from __future__ import annotations

import pytest

from chainatlas.web.views import display_indicator_row, period_label


@pytest.mark.parametrize("code,shown", [
    ("2024Q1-Q3", "2024年前三季度"), ("2024Q2", "2024年二季度"), ("2024Q1-Q2", "2024年上半年"),
    ("2024Q1-Q4", "2024年全年"), ("2023Q2-Q4", "2023年二至四季度"), ("2024H1", "2024年上半年"),
    ("2024H2", "2024年下半年"), ("2024", "2024"), ("2024-03", "2024-03"), (None, ""),
])
def test_period_label(code, shown):
    assert period_label(code) == shown


def test_indicator_row_carries_the_label():
    row = display_indicator_row({"value": 37.5, "unit": "%", "period": "2024Q1-Q3", "status": "actual"})
    assert row["period_label"] == "2024年前三季度" and row["period"] == "2024Q1-Q3"  # the code stays for filters
