"""Structure: the line classifier, the section tree and the block assembler on their own, and
the section tree and blocks of the advice."""

from adviesqa.clean import BULLET, clean_document
from adviesqa.structure import (
    BlockAssembler,
    LineClass,
    SectionTree,
    build_structure,
    caption_end,
    classify_line,
    closes_block,
    heading_end,
    make_block,
)
from adviesqa.types import SECTION_SEP, DocumentMeta, Line, LoadedDocument, Page

LONG = "De industriële KMO’s in Vlaanderen zijn sterk verweven met de grote ondernemingen in de keten"  # > 70


# ---------------------------------------------------------------- the line classifier


def test_headings_are_told_by_their_numbering():
    assert classify_line("3.2.2 Bijkomende alternatieve financieringsbronnen", LONG + ".", None, False) == LineClass(
        "heading", numbers=(3, 2, 2), title="Bijkomende alternatieve financieringsbronnen")
    assert classify_line("2. Probleemstelling", None, LONG, False) == LineClass("heading", numbers=(2,),
                                                                                  title="Probleemstelling")
    assert classify_line("Bijlage 1: Belang en evolutie van de industriële sector", None, None, False) == LineClass(
        "annex", annex="1", title="Belang en evolutie van de industriële sector")
    assert classify_line("Bijlage IV - Overzicht", None, None, False) == LineClass("annex", annex="IV",
                                                                                   title="Overzicht")


def test_a_number_is_no_heading_when_the_line_does_not_read_as_one():
    assert classify_line("50 Werknemers of meer", None, None, False).kind == "text"  # no chapter 50
    assert classify_line("2 miljoen euro steun.", None, None, False).kind == "text"  # lowercase: a figure
    # a label's number broken onto the next line ("… Figuur" / "16 toont …")
    assert classify_line("16 Toont de evolutie.", "zoals de evolutie in Figuur", None, False).kind == "text"


def test_a_long_numbered_line_is_a_list_item_unless_it_continues_a_sentence():
    item = "1. Een gedifferentieerd beleid dat rekening houdt met de noden van elk segment van KMO's."
    assert classify_line(item, LONG + ".", None, False).kind == "bullet"
    # "… eenmanszaken tot" / "50 werknemers) die …": the line break fell before a number
    cont = "50 werknemers) die 99,8% van alle ondernemingen in de Vlaamse industrie uitmaken en samen"
    assert classify_line(cont, LONG + " tot", None, False).kind == "text"
    assert classify_line(cont, LONG + ".", None, False).kind == "bullet"


def test_bullets_captions_and_running_text():
    assert classify_line(BULLET + "Enerzijds een stimulerend beleid.", None, None, True).kind == "bullet"
    assert classify_line("Tabel 1: Tewerkstelling in België en Vlaanderen", None, LONG, True).kind == "caption"
    assert classify_line("Figuur 16: Aandeel van de KMO’s", None, None, False).kind == "caption"
    assert classify_line(LONG + ".", None, None, True).kind == "text"


def test_a_short_line_that_opens_a_page_before_body_text_is_a_title():
    title = "Krachtlijnen van het advies"
    assert classify_line(title, None, LONG, True) == LineClass("title", title=title)
    assert classify_line(title, None, BULLET + "Een punt", True).kind == "title"
    assert classify_line(title, None, "De SERV stelt voor:", True).kind == "title"
    assert classify_line(title, None, LONG, False).kind == "text"  # not the first line read on its page
    assert classify_line(title, None, "Kort.", True).kind == "text"  # no body text follows
    assert classify_line(title, None, None, True).kind == "text"
    assert classify_line(title + ".", None, LONG, True).kind == "text"  # a sentence, not a title
    assert classify_line("een zin die in kleine letters begint", None, LONG, True).kind == "text"


# ---------------------------------------------------------------- headings and captions over several lines


def _lines(*texts: str) -> list[Line]:
    return [Line(t, 1) for t in texts]


def test_a_heading_runs_on_over_the_lines_that_continue_it():
    lines = _lines("3.1 Een beleid afgestemd op het", "DNA van de KMO", LONG + ".")
    title = "Een beleid afgestemd op het"
    assert heading_end(lines, 0, title, set()) == ("Een beleid afgestemd op het DNA van de KMO", 2)
    assert heading_end(lines, 0, title, {1}) == ("Een beleid afgestemd op het", 1)  # line 1 belongs to a table
    lines = _lines("2 Probleemstelling", "gevolgd door een regel in kleine letters", "3 Advies")
    assert heading_end(lines, 0, "Probleemstelling", set()) == (
        "Probleemstelling gevolgd door een regel in kleine letters", 2)
    assert heading_end(_lines("2 Probleemstelling", "3 Advies"), 0, "Probleemstelling", set()) == (
        "Probleemstelling", 1)
    assert heading_end(_lines("2 Probleemstelling"), 0, "Probleemstelling", set()) == ("Probleemstelling", 1)


def test_a_caption_takes_its_short_lines_and_its_source():
    lines = _lines("Tabel 1: Tewerkstelling in", "België en Vlaanderen", "Bron: NBB, eigen berekeningen", LONG + ".")
    assert caption_end(lines, 0, set()) == 3
    assert caption_end(lines, 0, {2}) == 2
    assert caption_end(_lines("Figuur 2: Aandeel van de KMO’s.", "Bron: STORE.", "Korte regel"), 0, set()) == 2
    assert caption_end(_lines("Figuur 2: Aandeel van de KMO’s.", "Bron: STORE, op basis", "van de NBB."), 0, set()) == 3
    assert caption_end(_lines("Figuur 2: Aandeel van de KMO’s.", "Korte regel", "Bron: STORE"), 0, set()) == 1


def test_a_short_line_that_closes_a_sentence_closes_the_block():
    assert closes_block("Dit is kort.", "paragraph") and closes_block("Een opsomming:", "paragraph")
    assert not closes_block("Dit is kort", "paragraph")
    line = "Een regel van zestig tekens die met een punt eindigt, nu af."
    assert len(line) == 60 and not closes_block(line, "paragraph") and closes_block(line, "bullet")


# ---------------------------------------------------------------- the section tree


def test_the_tree_places_headings_by_their_numbering():
    tree = SectionTree("d", "Het advies", lambda page: page - 1)
    assert tree.current.section_id == "begin" and tree.current.path == ("Het advies",)
    three = tree.open((3,), "", "Advies", 4)
    assert (three.section_id, three.level, three.path, three.page_start) == ("3", 1, ("3 Advies",), 3)
    sub = tree.open((3, 1), "", "Een beleid op maat", 5)
    assert sub.level == 2 and sub.path == ("3 Advies", "3.1 Een beleid op maat")
    # numbering that goes back inside 3.1 is a numbered box in it, not chapter 1
    box1 = tree.open((1,), "", "Een vernieuwende, innovatieve economie", 5)
    assert box1.level == 3 and box1.path[:2] == sub.path and box1.section_id == "een-vernieuwende-innovatieve-economie"
    box2 = tree.open((2,), "", "Een inclusieve economie", 6)
    assert box2.level == 3 and box2.path[:2] == sub.path  # the box's next item, beside the first
    nxt = tree.open((3, 2), "", "Specifieke aandachtspunten", 7)
    assert nxt.level == 2 and nxt.path == ("3 Advies", "3.2 Specifieke aandachtspunten")
    titled = tree.open((), "", "Kader: een voorbeeld", 7)  # a titled box inside a numbered section
    assert titled.level == 3 and titled.path[:2] == nxt.path
    assert tree.current is titled and tree.sections[-1] is titled


def test_numbering_restarts_under_each_annex():
    tree = SectionTree("d", "Het advies", lambda page: page)
    tree.open((2,), "", "Sectoranalyse", 3)
    annex = tree.open((), "1", "Belang van de industrie", 10)
    assert (annex.section_id, annex.number, annex.level, annex.path) == (
        "bijlage-1", "Bijlage 1", 1, ("Bijlage 1: Belang van de industrie",))
    two = tree.open((2,), "", "Sectoranalyse", 11)
    assert two.section_id == "bijlage-1/2" and two.level == 2 and two.path[0] == annex.path[0]
    other = tree.open((), "2", "Gazellen", 12)
    assert other.level == 1 and tree.open((2,), "", "Sectoranalyse", 13).section_id == "bijlage-2/2"
    assert tree.open((), "", "Literatuur", 14).path[1:] == ("2 Sectoranalyse", "Literatuur")  # a titled box
    ids = [s.section_id for s in tree.sections]
    assert len(ids) == len(set(ids))


def test_an_unnumbered_title_outside_numbered_sections_is_a_chapter():
    tree = SectionTree("d", "Het advies", lambda page: page)
    assert tree.open((), "", "Krachtlijnen van het advies", 1).path == ("Krachtlijnen van het advies",)
    assert tree.open((), "", "Inleiding", 2).path == ("Inleiding",)
    assert tree.current.level == 1


def test_section_ids_stay_unique():
    tree = SectionTree("d", "D", lambda page: page)
    ids = [tree.open((), "", "Inleiding", 1).section_id for _ in range(3)]
    assert ids == ["inleiding", "inleiding-2", "inleiding-3"]


# ---------------------------------------------------------------- blocks


def test_a_block_joins_its_lines_and_keeps_its_footnotes_and_pages():
    lines = [Line(BULLET + "De industrie (STORE)[^3] blijkt", 5), Line("belangrijk.[^4]", 6)]
    block = make_block("bullet", lines, "3.1", lambda page: page - 2)
    assert block is not None
    assert block.text == "De industrie (STORE) blijkt belangrijk."
    assert (block.kind, block.section_id, block.page_start, block.page_end) == ("bullet", "3.1", 3, 4)
    assert block.footnote_refs == (3, 4) and block.footnote_anchors == ((20, 3), (39, 4))
    assert make_block("paragraph", _lines("[^7]"), "3.1", lambda page: page) is None


def test_the_assembler_gives_a_block_the_kind_of_its_first_line():
    blocks = BlockAssembler(lambda page: page)
    blocks.flush("s")  # nothing read yet: no block
    blocks.add("bullet", Line(BULLET + "Een punt dat", 1))
    blocks.add("paragraph", Line("doorloopt.", 1))
    blocks.flush("s")
    blocks.add("paragraph", Line("Een alinea.", 2))
    blocks.flush("t")
    assert [(b.kind, b.text, b.section_id) for b in blocks.blocks] == [
        ("bullet", "Een punt dat doorloopt.", "s"), ("paragraph", "Een alinea.", "t")]


# ---------------------------------------------------------------- the advice


def test_section_tree(advice_structure):
    paths = [SECTION_SEP.join(s.path) for s in advice_structure.sections]
    assert "3 Advies › 3.2 Specifieke aandachtspunten voor het Vlaamse industriële KMO-beleid › 3.2.2 Bijkomende alternatieve financieringsbronnen" in paths
    assert "Krachtlijnen van het advies" in paths
    assert any(p.startswith("Bijlage 1: Belang en evolutie van de industriële sector in België en Vlaanderen › 2 Sectoranalyse") for p in paths)
    assert "Bijlage 3: Bepalende factoren voor de doorgroei van KMO’s › 2 Gazellen" in paths
    # the numbered box inside 3.1 is not a new chapter
    box = [p for p in paths if p.endswith("1 Een vernieuwende, innovatieve economie")]
    assert box and box[0].startswith("3 Advies › 3.1 ")
    assert len({s.section_id for s in advice_structure.sections}) == len(advice_structure.sections)


def test_blocks_carry_footnote_refs(advice_structure):
    store = [b for b in advice_structure.blocks if "Steunpunt Ondernemen en Regionale Economie (STORE)" in b.text]
    assert store and 3 in store[0].footnote_refs and "[^" not in store[0].text


def test_every_line_has_its_section_and_table_lines_keep_their_place(advice_structure):
    meta = DocumentMeta("serv", "Naar een efficiënt en doeltreffend industrieel KMO-beleid", "x", "x")
    clean = clean_document(LoadedDocument(meta, (Page(1, "\n".join(["2 Probleemstelling", LONG + ".",
                                                                       "Sector 1995 2013", "Bouw 10 20",
                                                                       LONG + "."])),), "txt"))
    doc = build_structure(clean, skip=[(2, 4)])
    assert doc.line_sections == ("begin", "2", "2", "2", "2")  # a heading's own line has the section before it
    assert [b.text for b in doc.blocks] == [LONG + ".", LONG + "."]  # the table lines are not body text
    assert len(advice_structure.line_sections) > 1000 and set(advice_structure.line_sections) <= {
        s.section_id for s in advice_structure.sections}
def test_a_number_that_continues_a_sentence_is_not_a_list_item(advice_structure):
    """"… (vennootschappen en eenmanszaken tot" / "50 werknemers) die 99,8% …": the line break
    falls before a number, which must not start a list item."""
    block = next(b for b in advice_structure.blocks if "990.374" in b.text)
    assert "eenmanszaken tot 50 werknemers) die 99,8%" in block.text
    assert not any(b.kind == "bullet" and b.text.startswith("50 werknemers") for b in advice_structure.blocks)
    # a numbered item that opens its own line after a full stop stays one
    meta = DocumentMeta("d", "D", "x", "x")
    text = ("De SERV vraagt aandacht voor een reeks punten die hieronder volgen en die elk toegelicht worden.\n\n"
            "1. Een gedifferentieerd beleid dat rekening houdt met de noden van elk segment van KMO's in de industrie.\n")
    doc = build_structure(clean_document(LoadedDocument(meta, (Page(1, text),), "txt")))
    assert any(b.kind == "bullet" and b.text.startswith("1. Een gedifferentieerd beleid") for b in doc.blocks)


def test_footnote_markers_are_anchored_to_their_sentence():
    from adviesqa.structure import anchored_text

    text, refs, anchors = anchored_text("De industrie (STORE)[^3] blijkt  belangrijk.[^4] Volgende  zin [^5] hier.")
    assert text == "De industrie (STORE) blijkt belangrijk. Volgende zin hier."
    assert refs == (3, 4, 5)
    assert [text[:o] for o, _ in anchors] == ["De industrie (STORE)", "De industrie (STORE) blijkt belangrijk.",
                                              "De industrie (STORE) blijkt belangrijk. Volgende zin "]
