"""HTML tables keep their columns' alignment in the Markdown the reader shows (issue 16)."""

from __future__ import annotations

from importers.html import column_aligns, extract_article, html_to_markdown

PRICES = (
    "<table><tr><th>Item</th><th align='right'>Price</th><th align='center'>Qty</th></tr>"
    "<tr><td>Tea</td><td align='right'>3.50</td><td>1</td></tr>"
    "<tr><td>Coffee</td><td style='text-align: right'>12.00</td><td>2</td></tr>"
    "<tr><td>Milk</td><td align='right'>1.10</td><td>4</td></tr></table>"
)


def test_right_aligned_and_centred_columns_get_their_markdown_marks() -> None:
    markdown = html_to_markdown(PRICES)
    assert "| --- | ---: | :---: |" in markdown
    assert "| Coffee | 12.00 | 2 |" in markdown


def test_a_column_takes_what_most_of_its_cells_declare() -> None:
    # One right-aligned cell of three does not make the column right-aligned; a
    # spanning cell counts for no column.
    rows = [
        [(False, 1, None), (False, 1, "right")],
        [(False, 1, None), (False, 1, None)],
        [(False, 1, None), (False, 1, None)],
        [(False, 2, "right")],
    ]
    assert column_aligns(rows) == [None, None]
    assert column_aligns([[(True, 1, "center")], [(False, 1, None)]]) == ["center"]


def test_a_table_without_alignment_is_unchanged() -> None:
    plain = "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert "| --- | --- |" in html_to_markdown(plain)


def test_a_saved_pages_table_keeps_its_alignment_through_extraction() -> None:
    prose = "Prices rose again this month across the region, the statistics office said. " * 6
    after = "Economists expect the rise to slow later in the year as energy costs fall. " * 5
    page = (
        "<html><head><title>Prices rise</title></head><body><article><h1>Prices rise</h1>"
        f"<p>{prose}</p>{PRICES}<p>{after}</p></article></body></html>"
    )
    markdown = extract_article(page).markdown
    assert "| Item | Price | Qty |" in markdown
    assert "| --- | ---: | :---: |" in markdown
