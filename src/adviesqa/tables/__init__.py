"""Indicator tables and figure captions: from cleaned lines (or a PDF's page layout) to
typed `IndicatorTable`s with provenance, and from those to row texts, DataFrames and CSV.

- `text`: tables and figures in a document's cleaned lines (captions, spans), with
  `rows` reading a flattened table body and `parts` the caption, Bron/Noot and unit lines;
- `layout`: tables read from a PDF's page layout (pdfplumber);
- `definitions`: reviewed definitions (`<stem>.tables.toml`) for ambiguous tables;
- `export`: row texts for the index, DataFrame and CSV;
- `numbers`, `wrapping`: the number parser and line joining the modules share (to be
  replaced by the text layer, adviesqa.text).
"""

from .definitions import load_table_definitions
from .export import spreadsheet_safe, table_row_texts, table_to_csv, table_to_dataframe
from .layout import extract_pdf_tables, pages_naming_tables, pdf_tables_as_data
from .numbers import format_number, parse_number
from .parts import mentioned_labels, split_units, table_id
from .text import TableSpan, extract_tables

__all__ = [
    "TableSpan",
    "extract_pdf_tables",
    "extract_tables",
    "format_number",
    "load_table_definitions",
    "mentioned_labels",
    "pages_naming_tables",
    "parse_number",
    "pdf_tables_as_data",
    "split_units",
    "spreadsheet_safe",
    "table_id",
    "table_row_texts",
    "table_to_csv",
    "table_to_dataframe",
]
