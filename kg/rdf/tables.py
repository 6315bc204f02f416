"""Tables and table cells to triples: a table node per table (its caption, unit line,
size and rows as text), and on each figure read from a cell its table, row, column,
qualifier and place, so a user can print the table back from the graph
(queries/table.rq)."""
from __future__ import annotations

from kg.records import Figure, ReportRecord, Table


def table_rows(add, rec: ReportRecord, report: str, iri, lit, integer, wf: dict, typ: str, derived: str) -> list[str]:
    """Add each table's triples; returns the table nodes by index."""
    nodes = []
    for i, t in enumerate(rec.tables):
        node = iri("table", rec.source, str(i))
        nodes.append(node)
        add(node, typ, wf["Table"])
        add(node, derived, report)
        if t.caption:
            add(node, wf["caption"], lit(t.caption))
        if t.unit:
            add(node, wf["unitLine"], lit(t.unit))
        add(node, wf["rowCount"], integer(len(t.rows)))
        add(node, wf["columnCount"], integer(max((len(r) for r in t.rows), default=0)))
        add(node, wf["headerRows"], integer(t.header_rows))
        add(node, wf["origin"], lit(t.origin))
        for n, row in enumerate(t.rows):
            add(node, wf["rowText"], lit(f"{n}\t" + " | ".join(row)))
    return nodes


def cell_rows(add, node: str, f: Figure, tables: list[str], integer, lit, wf: dict) -> None:
    """The figure's place in its table."""
    if f.table is not None and f.table < len(tables):
        add(node, wf["inTable"], tables[f.table])
    if f.row is not None:
        add(node, wf["row"], integer(f.row))
    if f.column is not None:
        add(node, wf["column"], integer(f.column))
    if f.qualifier:
        add(node, wf["qualifier"], lit(f.qualifier))


def figure_part(f: Figure) -> str:
    """What names a figure's IRI: its offsets, or for a table cell the text does not hold,
    its table, row and column."""
    if f.end > f.start or f.table is None:
        return f"{f.start}-{f.end}"
    return f"table{f.table}-r{f.row}-c{f.column}"


__all__ = ["table_rows", "cell_rows", "figure_part", "Table"]
