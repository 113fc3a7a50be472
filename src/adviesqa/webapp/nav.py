"""The pages of the app and the links between them. app.py registers the st.Page objects
here, so a page can link to another (st.page_link needs the object) without importing app.py.

The reader has stable, shareable URLs: `/?passage=<chunk_id>` (with `&zin=<start>-<end>`:
the supporting sentence, as character offsets in the passage's text; for a table, `&rij=<n>`:
the cited row, counted from 0; `&tekst=<key>`: the fingerprint of the passage's text, and
`&doc=<doc_id>&page=<n>`: where it stood, so that a link made before the document was processed
again finds the passage by its text, or else its page, never another passage under its old
number) and `/?doc=<doc_id>&page=<n>`; `/lezen?...` works the same.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

PAGES: dict[str, Any] = {}  # slug -> st.Page, filled by app.py
READER_PARAMS = ("passage", "doc")


def page(slug: str) -> Any:
    return PAGES.get(slug)


def reader_params(
    chunk_id: int | None = None,
    span: tuple[int, int] | None = None,
    doc: str | None = None,
    page_no: int | None = None,
    part: int | None = None,
    row: int | None = None,
    key: str | None = None,
) -> dict[str, str]:
    params: dict[str, str] = {}
    if chunk_id is not None:
        params["passage"] = str(chunk_id)
        if span is not None:
            params["zin"] = f"{span[0]}-{span[1]}"
        elif row is not None:
            params["rij"] = str(row)
        if key:
            params["tekst"] = key
        if doc:
            params["doc"] = doc
            if page_no:
                params["page"] = str(page_no)
    elif doc:
        params["doc"] = doc
        if page_no:
            params["page"] = str(page_no)
        if part is not None:
            params["deel"] = str(part + 1)
    return params


def reader_url(**kw: Any) -> str:
    """A link to the reader that works from any page of the app (relative to the app's root,
    so a base URL path is kept)."""
    return "./?" + urlencode(reader_params(**kw))
