"""adviesqa.text.years: the one definition of a year and the patterns built on it."""

from __future__ import annotations

import re

from adviesqa.text.years import (
    CITED_YEAR,
    YEAR,
    YEAR_AT_END,
    YEAR_AT_SENTENCE_END,
    date_pattern,
    day_pattern,
    is_year,
    named_years,
    times_in,
    years_in,
)


def test_a_year_in_running_text():
    assert years_in("tussen 1995 en 2013, in 1850 en 2099") == ["1995", "2013", "1850", "2099"]
    assert years_in("12.2013, 2013,5 of 20135 en 1799 of 2100") == []


def test_a_whole_token_is_a_year():
    assert is_year("2013") and is_year("1850")
    assert not is_year("2013a") and not is_year("20131") and not is_year("123") and not is_year("2100")


def test_variants_for_references():
    assert CITED_YEAR.search("Mason en Brown (2013a) Title").group(1) == "2013"
    assert CITED_YEAR.search("Brixy (12014). Title").group(1) == "2014"  # a footnote marker glued on
    assert YEAR_AT_SENTENCE_END.search("Leuven 2012. Titel").group(1) == "2012"
    assert YEAR_AT_END.search("KEFIK-Rapport KMO-financiering 2011").group(1) == "2011"


def test_dates_in_every_language():
    date = re.compile(date_pattern(), re.I)
    for text in ("15 september 2014", "maart 2013", "March 2013", "19/12/2013", "1 mei 2012"):
        assert date.fullmatch(text), text
    assert day_pattern().search("op 15 juni") and day_pattern().search("on 3 August")
    assert not day_pattern().search("in 2013")


def test_times_leave_out_years_that_end_a_name():
    assert times_in("Doing Business 2014 en Horizon 2020 geven cijfers voor Vlaanderen 2013 (2009)") == ["2013", "2009"]
    assert YEAR.search("in 2013").group(0) == "2013"


def test_names_that_end_in_a_year_and_a_hurried_typists_names():
    text = "het UNIZO-KMO-rapport 2012, Horizon 2020 en Doing Business 2014, in Vlaanderen 2013 en in 2011"
    assert named_years(text) == [("UNIZO-KMO-rapport 2012", "rapport", "2012"), ("Horizon 2020", "horizon", "2020"),
                                 ("Doing Business 2014", "business", "2014")]
    # typed in lower case, a year is a name's when the documents end a name with that word
    assert times_in("durfkapitaal sba factsheet 2013") == ["2013"]
    assert times_in("durfkapitaal sba factsheet 2013", {"factsheet"}) == []
    assert named_years("sba factsheet 2013", {"factsheet"}) == [("factsheet 2013", "factsheet", "2013")]
    assert times_in("kmo's in 2013", {"factsheet"}) == ["2013"]
