import pytest

from kg.rdf.iris import mint


def test_the_same_parts_give_the_same_iri():
    assert mint("figure", "000_x.txt", "12-20") == mint("figure", "000_x.txt", "12-20")


def test_kinds_live_under_their_own_paths():
    assert str(mint("report", "000_x.txt")).endswith("/data/report/000_x.txt")
    assert "/figure/" in str(mint("figure", "000_x.txt", "1-2"))
    assert "/data/region/331004" in str(mint("region", "331004"))


def test_chinese_names_are_percent_encoded_into_valid_iris():
    iri = str(mint("agency", "000_x.txt", "区民政局"))
    assert iri.isascii() and " " not in iri


def test_new_concepts_are_the_same_node_in_every_report():
    assert mint("programme", "城市低保金") == mint("programme", "城市低保金")
    assert mint("programme", "城市低保金") != mint("group", "城市低保金")


@pytest.mark.parametrize("kind,parts", [("figure", ()), ("report", ("",)), ("nonsense", ("x",))])
def test_bad_requests_raise(kind, parts):
    with pytest.raises(ValueError):
        mint(kind, *parts)
