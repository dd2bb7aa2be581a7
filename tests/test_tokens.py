"""Table-driven tests of the tokenizer: one case per table rendering and block kind.

Each case is (name, input text, expected blocks), where a block is written as a plain
tuple (kind, first line, cell rows), a table's through `table()` with its cells joined by
` | `. Only `plain()` knows the tokenizer's classes, so an API change touches that one
function and no case.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from skating_db.loaders.tokens import Heading, Item, Paragraph, Table, tokenize

Rows = list[list[str]]
PlainBlock = tuple[str, int, Rows]


def _cells(row: Any) -> list[str]:
    """A row's cell texts, whether the tokenizer gives a `Row` or a plain list."""
    cells = getattr(row, "cells", row)
    return [str(cell) for cell in cells]


def plain(block: Any) -> PlainBlock:
    """One block as (kind, line, rows): `h1`…`h6`, `table`, `para` or `item`.

    A table's header (when the tokenizer keeps it apart from the rows) comes first;
    a heading, paragraph or item is one row of one cell (an item with a key: two).
    """
    if isinstance(block, Heading):
        return (f"h{block.level}", block.line, [[block.text]])
    if isinstance(block, Table):
        header = getattr(block, "header", None)
        rows = ([_cells(header)] if header else []) + [_cells(row) for row in block.rows]
        return ("table", block.line, rows)
    if isinstance(block, Paragraph):
        return ("para", block.line, [[block.text]])
    if isinstance(block, Item):
        return ("item", block.line, [[block.key, block.text] if block.key else [block.text]])
    raise TypeError(f"unknown block {block!r}")


def table(line: int, *rows: str) -> PlainBlock:
    """A table block starting at `line`, each row written as its cells joined by ` | `."""
    return ("table", line, [row.split(" | ") for row in rows])


def blocks(text: str) -> list[PlainBlock]:
    return [plain(block) for block in tokenize(text).blocks]


class Case(NamedTuple):
    name: str
    text: str
    expected: list[PlainBlock]


CASES = [
    Case(
        "pipe_rows",
        "| Rank | Name | Time |\n| 1 | Alpha Beta | 41.935 |\n",
        [table(1, "Rank | Name | Time", "1 | Alpha Beta | 41.935")],
    ),
    Case(
        "pipe_row_missing_trailing_pipe",
        "| Rank | Name |\n| 1 | Alpha Beta\n| 2 | Gamma Delta |\n",
        [table(1, "Rank | Name", "1 | Alpha Beta", "2 | Gamma Delta")],
    ),
    Case(
        "markdown_separator_row",
        "| Rank | Name | Time |\n|---|:---:|--:|\n| 1 | Alpha Beta | 41.935 |\n",
        [table(1, "Rank | Name | Time", "1 | Alpha Beta | 41.935")],
    ),
    Case(
        "markdown_rows_without_leading_pipe",
        "Rank | Name | Time\n---|---|---\n1 | Alpha Beta | 41.935\n2 | Gamma Delta | 42.001\n",
        [table(1, "Rank | Name | Time", "1 | Alpha Beta | 41.935", "2 | Gamma Delta | 42.001")],
    ),
    Case(
        "markdown_after_heading_and_prose",
        "## Men\n\nResults of the final.\n\n| Rank | Name |\n| --- | --- |\n| 1 | Alpha |\n",
        [
            ("h2", 1, [["Men"]]),
            ("para", 3, [["Results of the final."]]),
            table(5, "Rank | Name", "1 | Alpha"),
        ],
    ),
    Case(
        "wiki_header_cell_per_line",
        '{| class="wikitable"\n! Rank\n! Name\n|-\n| 1\n| Alpha Beta\n|}\n',
        [table(1, "Rank | Name", "1 | Alpha Beta")],
    ),
    Case(
        "wiki_inline_cells",
        "{|\n! Rank !! Name !! Time\n|-\n| 1 || Alpha Beta || 41.935\n|}\n",
        [table(1, "Rank | Name | Time", "1 | Alpha Beta | 41.935")],
    ),
    Case(
        "wiki_inline_cells_without_spaces",
        "{|\n!Rank!!Name\n|-\n|1||Alpha Beta\n|}\n",
        [table(1, "Rank | Name", "1 | Alpha Beta")],
    ),
    Case(
        "wiki_cell_attributes",
        '{| class="wikitable"\n|-\n| style="background:gold" | Gold || align="left" | Alpha\n'
        '|-\n| bgcolor="silver" | Silver || Beta\n|}\n',
        [table(1, "Gold | Alpha", "Silver | Beta")],
    ),
    Case(
        "wiki_caption_is_not_a_row",
        "{|\n|+ Men's 500 m\n! Rank !! Name\n|-\n| 1 || Alpha\n|}\n",
        [table(1, "Rank | Name", "1 | Alpha")],
    ),
    Case(
        "wiki_rowspan_expanded",
        '{|\n! Gender !! Distance !! Winner\n|-\n| rowspan="2" | Men || 500 m || Alpha\n'
        "|-\n| 1000 m || Beta\n|}\n",
        [table(1, "Gender | Distance | Winner", "Men | 500 m | Alpha", "Men | 1000 m | Beta")],
    ),
    Case(
        "wiki_rowspan_in_middle_column",
        '{|\n! Rank !! Nation !! Name\n|-\n| 1 || rowspan="2" | CAN || Alpha\n|-\n| 2 || Beta\n'
        "|-\n| 3 || KOR || Gamma\n|}\n",
        [table(1, "Rank | Nation | Name", "1 | CAN | Alpha", "2 | CAN | Beta", "3 | KOR | Gamma")],
    ),
    Case(
        "wiki_colspan_expanded",
        '{|\n! Event !! colspan="2" | Gold\n|-\n| 500 m || Alpha || 41.935\n'
        '|-\n| 1000 m || colspan="2" | Not awarded\n|}\n',
        [
            table(
                1,
                "Event | Gold | Gold",
                "500 m | Alpha | 41.935",
                "1000 m | Not awarded | Not awarded",
            )
        ],
    ),
    Case(
        "cells_one_per_line",
        "== 500 m ==\nRank\nName\nTime\n1\nAlpha Beta\n41.935\n2\nGamma Delta\n42.001\n",
        [
            ("h2", 1, [["500 m"]]),
            table(2, "Rank | Name | Time", "1 | Alpha Beta | 41.935", "2 | Gamma Delta | 42.001"),
        ],
    ),
    Case(
        "tab_separated_rows",
        "Rank\tName\tTime\n1\tAlpha Beta\t41.935\n2\tGamma Delta\t42.001\n",
        [table(1, "Rank | Name | Time", "1 | Alpha Beta | 41.935", "2 | Gamma Delta | 42.001")],
    ),
    Case(
        "html_entities_decoded",
        "| Fran&ccedil;ois&nbsp;Dub&eacute; | 1&#8211;3 May | Pawe&#322; &amp; Co |\n",
        [table(1, "François Dubé | 1–3 May | Paweł & Co")],
    ),
    Case(
        "html_entities_in_heading",
        "==== Saguenay 21&ndash;23 October 2005 ====\n",
        [("h4", 1, [["Saguenay 21–23 October 2005"]])],
    ),
    Case(
        "heading_levels_one_to_six",
        "= A =\n== B ==\n=== C ===\n==== D ====\n===== E =====\n====== F ======\n",
        [
            ("h1", 1, [["A"]]),
            ("h2", 2, [["B"]]),
            ("h3", 3, [["C"]]),
            ("h4", 4, [["D"]]),
            ("h5", 5, [["E"]]),
            ("h6", 6, [["F"]]),
        ],
    ),
    Case(
        "infobox_items",
        "Infobox\n- Gold: Alpha Beta\n- Goldnoc: CHN\n- Win Value: 39.584\n",
        [
            ("para", 1, [["Infobox"]]),
            ("item", 2, [["Gold", "Alpha Beta"]]),
            ("item", 3, [["Goldnoc", "CHN"]]),
            ("item", 4, [["Win Value", "39.584"]]),
        ],
    ),
    Case(
        "infobox_table_rows_are_items",
        '{| class="infobox"\n|+ Title\n|-\n! Venue\n| [[Rink A|Rink]]\n|-\n'
        "| Dates || 1–2 May\n|-\n! colspan=2 | Image\n|}\nAfter\n",
        [
            ("item", 5, [["Venue", "Rink"]]),
            ("item", 7, [["Dates", "1–2 May"]]),
            ("para", 11, [["After"]]),
        ],
    ),
    Case(
        "infobox_template_parameters_are_items",
        "{{Infobox event\n| venue = [[Rink A|Rink]] | dates = 1–2 May\n| name\n"
        "| host_city = {{flagicon|NED}} Delft }}\nAfter\n",
        [
            ("item", 2, [["venue", "Rink"]]),
            ("item", 2, [["dates", "1–2 May"]]),
            ("item", 4, [["host_city", "NED Delft"]]),
            ("para", 5, [["After"]]),
        ],
    ),
    Case(
        "infobox_template_left_open_ends_at_a_heading",
        "{{Infobox event\n| venue = Rink\n== Men ==\n| a | b |\n",
        [("item", 2, [["venue", "Rink"]]), ("h2", 3, [["Men"]]), table(4, "a | b")],
    ),
    Case(
        "other_template_stays_prose",
        "{{Main|Other page}}\n| venue = Rink\n",
        [("para", 1, [["| venue = Rink"]])],
    ),
    Case(
        "list_items_without_key",
        "* Heats\n* Final A\n",
        [("item", 1, [["Heats"]]), ("item", 2, [["Final A"]])],
    ),
    Case(
        "links_templates_refs_removed",
        "| [[Alpha Beta (skater)|Alpha Beta]] | {{flagicon|CAN}} [[Canada]] "
        "| 41.935<ref>Official results.</ref> |\n",
        [table(1, "Alpha Beta | CAN Canada | 41.935")],
    ),
    Case(
        "wiki_links_templates_refs_removed",
        '{|\n|-\n| [[Beta Gamma|B. Gamma]] || {{flagicon|KOR}} || 1:29.109<ref name="r1" />\n|}\n',
        [table(1, "B. Gamma | KOR | 1:29.109")],
    ),
    Case(
        "two_tables_split_by_heading",
        "=== Men ===\n| Rank | Name |\n| 1 | Alpha |\n"
        "=== Women ===\n| Rank | Name |\n| 1 | Beta |\n",
        [
            ("h3", 1, [["Men"]]),
            table(2, "Rank | Name", "1 | Alpha"),
            ("h3", 4, [["Women"]]),
            table(5, "Rank | Name", "1 | Beta"),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_tokenize(case: Case) -> None:
    """The tokenizer gives the blocks a reader sees, with their first lines."""
    assert blocks(case.text) == case.expected


def test_caption_is_the_table_label() -> None:
    """`|+ caption` labels its table (`Men's 500 m` says whose race the table is)."""
    table = tokenize("{|\n|+ Men's 500 m\n! Rank !! Name\n|-\n| 1 || Alpha\n|}\n").blocks[0]
    assert isinstance(table, Table)
    assert (table.label, table.label_line) == ("Men's 500 m", 2)


def test_adapter_knows_every_block_kind() -> None:
    """A document with each block kind goes through the adapter without error."""
    kinds = {kind for kind, _, _ in blocks("= T =\n\nText\n\n- Key: value\n| a | b |\n")}
    assert kinds == {"h1", "para", "item", "table"}
