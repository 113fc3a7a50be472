"""A part of a document as HTML for the reader (st.html): every piece of document text goes
through html.escape, so it is shown as text and can never become markup; only the tags
written here (paragraphs, page marks, <mark>, tables) are markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..docview import Item, Mark, Note, Part
from ..tableview import display_frame
from ..types import SECTION_SEP

STYLE = """<style>
.aq-doc { font-size: 1rem; line-height: 1.6; color: #1f2230; max-width: 46rem; overflow-wrap: anywhere; }
.aq-doc h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
.aq-page { margin: .9rem 0 .3rem; font-size: .8rem; color: #3f4350; border-top: 1px solid #d5d7de;
  padding-top: .15rem; }
.aq-p { margin: 0 0 .7rem; padding: .1rem .5rem; border-left: 3px solid transparent; scroll-margin-top: 6rem; }
.aq-cited { border-left-color: #b45309; background: #fffbeb; }
.aq-doc mark { background: #fde68a; color: #1f2230; padding: 0 .1rem; }
.aq-fn { font-size: .75rem; color: #3f4350; }
.aq-caption { font-style: italic; margin: .4rem 0 .8rem; color: #2f3240; }
.aq-table { overflow-x: auto; margin: .6rem 0 1rem; }
.aq-table table { border-collapse: collapse; font-size: .85rem; }
.aq-table th, .aq-table td { border: 1px solid #d5d7de; padding: .2rem .45rem; vertical-align: top; }
.aq-table td.num { text-align: right; white-space: nowrap; }
.aq-table tr.aq-row td { background: #fde68a; }
.aq-table p { margin: .2rem 0; font-size: .8rem; color: #3f4350; }
.aq-notes { font-size: .85rem; line-height: 1.45; color: #1f2230; overflow-wrap: anywhere; }
.aq-notes p { margin: 0 0 .6rem; scroll-margin-top: 6rem; }
.aq-notes .aq-cited { padding: .2rem .4rem; }
</style>"""


def _marked(text: str, marks: Sequence[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in sorted(marks):
        a, b = max(a, pos), min(b, len(text))
        if b <= a:
            continue
        out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def page_mark(page: int, approximate: bool) -> str:
    return f"p. {page}" + (" (bij benadering)" if approximate else "")


def _table(item: Item, row: int | None) -> str:
    t = item.table
    assert t is not None
    frame = display_frame(t)
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for i, r in enumerate(frame.itertuples(index=False)):
        cells = "".join(f"<td{' class=num' if j else ''}>{html.escape(str(v))}</td>" for j, v in enumerate(r))
        rows.append(f'<tr class="aq-row">{cells}</tr>' if i == row else f"<tr>{cells}</tr>")
    info = [x for x in (f"Bron: {t.source}" if t.source else "", f"Noot: {t.note}" if t.note else "") if x]
    return (
        f'<div class="aq-table" id="passage-{item.chunk_id}"><p><strong>{html.escape(t.label)}</strong>: '
        f"{html.escape(' '.join(t.caption.split()))}</p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        + "".join(f"<p>{html.escape(' '.join(x.split()))}</p>" for x in info)
        + "</div>"
    )


def part_html(
    part: Part, approximate: bool, cited: int | None = None, marks: Sequence[Mark] = (), table_row: int | None = None
) -> str:
    """The text of a part: headings of its subsections, a mark where a page starts, the
    passages, captions and tables. `cited` is the index of the cited item: a passage is
    framed (its sentence marked by `marks`), a table gets `table_row` marked."""
    out = [STYLE, '<div class="aq-doc" lang="nl">']
    page, path = 0, part.path
    by_item: dict[int, list[tuple[int, int]]] = {}
    for m in marks:
        by_item.setdefault(m.item, []).append((m.start, m.end))
    for k, item in enumerate(part.items):
        if item.section_path != path:
            path = item.section_path
            if len(path) > len(part.path):
                out.append(f"<h3>{html.escape(SECTION_SEP.join(path[len(part.path) :]))}</h3>")
        # a mark where a new page starts (passages that share a sentence may start on a page
        # already marked: the page numbers only go forward)
        if item.page_start and item.page_start > page:
            page = item.page_start
            out.append(f'<div class="aq-page" id="page-{page}">{html.escape(page_mark(page, approximate))}</div>')
        if item.kind == "table":
            out.append(_table(item, table_row if k == cited else None))
            continue
        notes = "".join(f' <sup class="aq-fn">{n}</sup>' for n in item.footnotes)
        css = "aq-caption" if item.kind == "caption" else "aq-p"
        if k == cited:
            css += " aq-cited"
        runs_on = ""
        if item.page_end and item.page_end > page:
            runs_on = (
                f' <span class="aq-fn">(loopt door op {html.escape(page_mark(item.page_end, approximate))})</span>'
            )
            page = item.page_end
        out.append(
            f'<p class="{css}" id="passage-{item.chunk_id}">{_marked(item.text, by_item.get(k, []))}'
            f"{notes}{runs_on}</p>"
        )
    out.append("</div>")
    return "".join(out)


def notes_html(notes: Sequence[Note], cited: int | None = None) -> str:
    if not notes:
        return ""
    body = "".join(
        f'<p id="passage-{n.chunk_id}"{" class=aq-cited" if n.chunk_id == cited else ""}>'
        f"<strong>{n.number}</strong> {_marked(n.text, [(0, len(n.text))] if n.chunk_id == cited else [])}"
        f"</p>"
        for n in notes
    )
    return f'{STYLE}<div class="aq-notes" lang="nl">{body}</div>'


def scroll_script(anchor: str) -> str:
    """Bring an element of the page into view once it is there (the page draws its elements
    one after the other). `anchor` is an id this module wrote: "passage-<int>" or "page-<int>"."""
    assert anchor.replace("-", "").isalnum()
    # no "<" inside the script: DOMPurify drops a script whose text looks like a tag ("<6…")
    return (
        "<script>(function(){var n=0;function go(){var e=document.getElementById('" + anchor + "');"
        "if(e){e.scrollIntoView({block:'center'});return;}if(n++ >= 60)return;setTimeout(go,100);}go();})();"
        "</script>"
    )


__all__ = ["notes_html", "page_mark", "part_html", "scroll_script"]
