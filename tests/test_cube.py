"""The Data Cube export (exports/cube.trig) is well-formed by the W3C integrity constraints.

The constraints are the SPARQL ASK queries of "The RDF Data Cube Vocabulary" (W3C
Recommendation, 16 January 2014, section 11.1): each ASK is true when the constraint is
violated. The spec says they assume a normalised cube (section 10: types closed, components
attached at the observation); kg.rdf.cube writes the cube normalised already (every component
specification has its qb:componentProperty, every observation carries every component), so
the queries run on the file as written. IC-20 and IC-21 are templates over each hierarchical
code list's parent-child property: the spec's first query finds the properties, and the
second is run once per property found.
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg.rdf.cube import cube_ntriples, period_label
from kg.records import ConceptRef, Figure, Region, ReportRecord

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

IC = {
    "IC-1 Unique DataSet": """ASK {
  {
    # Check observation has a data set
    ?obs a qb:Observation .
    FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . }
  } UNION {
    # Check has just one data set
    ?obs a qb:Observation ;
       qb:dataSet ?dataset1, ?dataset2 .
    FILTER (?dataset1 != ?dataset2)
  }
}""",
    "IC-2 Unique DSD": """ASK {
  {
    # Check dataset has a dsd
    ?dataset a qb:DataSet .
    FILTER NOT EXISTS { ?dataset qb:structure ?dsd . }
  } UNION {
    # Check has just one dsd
    ?dataset a qb:DataSet ;
       qb:structure ?dsd1, ?dsd2 .
    FILTER (?dsd1 != ?dsd2)
  }
}""",
    "IC-3 DSD includes measure": """ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] }
}""",
    "IC-4 Dimensions have range": """ASK {
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?dim rdfs:range [] }
}""",
    "IC-5 Concept dimensions have code lists": """ASK {
  ?dim a qb:DimensionProperty ;
       rdfs:range skos:Concept .
  FILTER NOT EXISTS { ?dim qb:codeList [] }
}""",
    "IC-6 Only attributes may be optional": """ASK {
  ?dsd qb:component ?componentSpec .
  ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
                 qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty }
}""",
    "IC-7 Slice Keys must be declared": """ASK {
    ?sliceKey a qb:SliceKey .
    FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey }
}""",
    "IC-8 Slice Keys consistent with DSD": """ASK {
  ?slicekey a qb:SliceKey;
      qb:componentProperty ?prop .
  ?dsd qb:sliceKey ?slicekey .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] }
}""",
    "IC-9 Unique slice structure": """ASK {
  {
    # Slice has a key
    ?slice a qb:Slice .
    FILTER NOT EXISTS { ?slice qb:sliceStructure ?key }
  } UNION {
    # Slice has just one key
    ?slice a qb:Slice ;
           qb:sliceStructure ?key1, ?key2;
    FILTER (?key1 != ?key2)
  }
}""",
    "IC-10 Slice dimensions complete": """ASK {
  ?slice qb:sliceStructure [qb:componentProperty ?dim] .
  FILTER NOT EXISTS { ?slice ?dim [] }
}""",
    "IC-11 All dimensions required": """ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty;
    FILTER NOT EXISTS { ?obs ?dim [] }
}""",
    "IC-12 No duplicate observations": """ASK {
  FILTER( ?allEqual )
  {
    # For each pair of observations test if all the dimension values are the same
    SELECT (MIN(?equal) AS ?allEqual) WHERE {
        ?obs1 qb:dataSet ?dataset .
        ?obs2 qb:dataSet ?dataset .
        FILTER (?obs1 != ?obs2)
        ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty .
        ?obs1 ?dim ?value1 .
        ?obs2 ?dim ?value2 .
        BIND( ?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2
  }
}""",
    "IC-13 Required attributes": """ASK {
    ?obs qb:dataSet/qb:structure/qb:component ?component .
    ?component qb:componentRequired "true"^^xsd:boolean ;
               qb:componentProperty ?attr .
    FILTER NOT EXISTS { ?obs ?attr [] }
}""",
    "IC-14 All measures present": """ASK {
    # Observation in a non-measureType cube
    ?obs qb:dataSet/qb:structure ?dsd .
    FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }

    # verify every measure is present
    ?dsd qb:component/qb:componentProperty ?measure .
    ?measure a qb:MeasureProperty;
    FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-15 Measure dimension consistent": """ASK {
    # Observation in a measureType-cube
    ?obs qb:dataSet/qb:structure ?dsd ;
         qb:measureType ?measure .
    ?dsd qb:component/qb:componentProperty qb:measureType .
    # Must have value for its measureType
    FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-16 Single measure on measure dimension observation": """ASK {
    # Observation with measureType
    ?obs qb:dataSet/qb:structure ?dsd ;
         qb:measureType ?measure ;
         ?omeasure [] .
    # Any measure on the observation
    ?dsd qb:component/qb:componentProperty qb:measureType ;
         qb:component/qb:componentProperty ?omeasure .
    ?omeasure a qb:MeasureProperty .
    # Must be the same as the measureType
    FILTER (?omeasure != ?measure)
}""",
    "IC-17 All measures present in measures dimension cube": """ASK {
  {
      # Count number of other measures found at each point
      SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
          {
              # Find the DSDs and check how many measures they have
              SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
                  ?dsd qb:component/qb:componentProperty ?m.
                  ?m a qb:MeasureProperty .
              } GROUP BY ?dsd
          }

          # Observation in measureType cube
          ?obs1 qb:dataSet/qb:structure ?dsd;
                qb:dataSet ?dataset ;
                qb:measureType ?m1 .

          # Other observation at same dimension value
          ?obs2 qb:dataSet ?dataset ;
                qb:measureType ?m2 .
          FILTER NOT EXISTS {
              ?dsd qb:component/qb:componentProperty ?dim .
              FILTER (?dim != qb:measureType)
              ?dim a qb:DimensionProperty .
              ?obs1 ?dim ?v1 .
              ?obs2 ?dim ?v2.
              FILTER (?v1 != ?v2)
          }

      } GROUP BY ?obs1 ?numMeasures
        HAVING (?count != ?numMeasures)
  }
}""",
    "IC-18 Consistent data set links": """ASK {
    ?dataset qb:slice       ?slice .
    ?slice   qb:observation ?obs .
    FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . }
}""",
    "IC-19 Codes from code list (concept scheme)": """ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
        qb:codeList ?list .
    ?list a skos:ConceptScheme .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
}""",
    "IC-19 Codes from code list (collection)": """ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
        qb:codeList ?list .
    ?list a skos:Collection .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
}""",
}

# IC-20 and IC-21: "instantiate the ASK template for each parent-child property found".
IC20_PROPERTIES = """SELECT ?p WHERE {
    ?hierarchy a qb:HierarchicalCodeList ;
                 qb:parentChildProperty ?p .
    FILTER ( isIRI(?p) )
}"""
IC20 = """ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
        qb:codeList ?list .
    ?list a qb:HierarchicalCodeList .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
}"""
IC21_PROPERTIES = """SELECT ?p WHERE {
    ?hierarchy a qb:HierarchicalCodeList;
                 qb:parentChildProperty ?pcp .
    FILTER( isBlank(?pcp) )
    ?pcp  owl:inverseOf ?p .
    FILTER( isIRI(?p) )
}"""
IC21 = """ASK {
    ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ;
         qb:codeList ?list .
    ?list a qb:HierarchicalCodeList .
    ?obs ?dim ?v .
    FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
}"""


def violations(store: ox.Store) -> list[str]:
    bad = [name for name, q in IC.items() if store.query(PREFIXES + q)]
    for select, template, name in ((IC20_PROPERTIES, IC20, "IC-20"), (IC21_PROPERTIES, IC21, "IC-21")):
        for row in store.query(PREFIXES + select):
            if store.query(PREFIXES + template.replace("$p", row["p"].value)):
                bad.append(f"{name} <{row['p'].value}>")
    return bad


def load(data: bytes, fmt=ox.RdfFormat.TURTLE) -> ox.Store:
    store = ox.Store()
    store.load(io.BytesIO(data), format=fmt)
    return store


@pytest.fixture(scope="module")
def seeds_cube(seeds_built):
    return (seeds_built / "cube.trig").read_bytes()


def test_the_seeds_cube_passes_every_w3c_integrity_constraint(seeds_cube):
    assert violations(load(seeds_cube)) == []


def test_every_figure_of_the_graph_is_one_observation_in_the_data_set(seeds_built, seeds_cube):
    graph = ox.Store()
    graph.load(path=str(seeds_built / "welfare.ttl"), format=ox.RdfFormat.TURTLE)
    figures = {r["f"].value for r in graph.query(
        "SELECT ?f WHERE { ?f a <https://w3id.org/welfare-kg/ontology#Figure> }")}
    observed = {r["f"].value for r in load(seeds_cube).query(
        PREFIXES + "SELECT ?f WHERE { ?o a qb:Observation ; qb:dataSet <https://w3id.org/welfare-kg/cube#figures> ;"
                   " <https://w3id.org/welfare-kg/cube#figure> ?f }")}
    assert len(figures) > 300 and observed == figures


def record(*figures: Figure, region: Region | None = None) -> ReportRecord:
    return ReportRecord("r.txt", "0" * 64, "t", region=region, figures=figures)


def fig(start: int, value, **kw) -> Figure:
    return Figure(text=f"{value}元", unit="元", value=None if value is None else Decimal(value), start=start,
                  end=start + 4, quote="q", **kw)


def test_the_checks_catch_a_cube_missing_a_dimension_or_duplicating_observations():
    # The same figure twice under two IRIs: IC-12. A dimension value dropped: IC-11.
    nt = cube_ntriples([record(fig(0, "670"))]).decode()
    obs = next(line.split(" ")[0] for line in nt.splitlines() 
               if line.endswith(" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/linked-data/cube#Observation> ."))
    twin = "\n".join(line.replace(obs, "<https://example.org/twin>") for line in nt.splitlines() if line.startswith(obs))
    assert violations(load((nt + twin + "\n").encode(), ox.RdfFormat.N_TRIPLES)) == ["IC-12 No duplicate observations"]
    dropped = "\n".join(line for line in nt.splitlines() if not (line.startswith(obs) and "refPeriod" in line))
    assert violations(load(dropped.encode(), ox.RdfFormat.N_TRIPLES)) == ["IC-11 All dimensions required"]


def test_a_figure_without_place_period_programme_or_group_gets_the_not_stated_codes():
    nt = cube_ntriples([record(fig(0, None, redacted=True))]).decode()
    for code in ("unknownArea", "unknownPeriod", "noProgramme", "noGroup"):
        assert f"<https://w3id.org/welfare-kg/cube#{code}> ." in nt
    assert '"NaN"^^<http://www.w3.org/2001/XMLSchema#double>' in nt
    assert violations(load(cube_ntriples([record(fig(0, None, redacted=True))]), ox.RdfFormat.N_TRIPLES)) == []


def test_a_figure_takes_its_own_region_over_its_reports_and_its_period_as_a_labelled_node():
    xichang = Region("西昌市", "513401", "county", Region("凉山彝族自治州", "513400", "city"))
    liangshan = Region("凉山彝族自治州", "513400", "city")
    dibao = ConceptRef("programme", "低保", "https://w3id.org/welfare-kg/programme/dibao")
    nt = cube_ntriples([record(fig(0, "700", region=xichang, programme=dibao, period_start=date(2024, 1, 1),
                                   period_end=date(2024, 6, 30)), region=liangshan)]).decode()
    assert "<http://purl.org/linked-data/sdmx/2009/dimension#refArea> <https://w3id.org/welfare-kg/data/region/513401>" in nt
    assert '"2024-H1"' in nt


def test_period_labels_name_years_halves_and_quarters():
    assert period_label(date(2023, 1, 1), date(2023, 12, 31)) == "2023"
    assert period_label(date(2024, 1, 1), date(2024, 6, 30)) == "2024-H1"
    assert period_label(date(2020, 4, 1), date(2020, 6, 30)) == "2020-Q2"
    assert period_label(date(2019, 1, 1), date(2020, 12, 31)) == "2019-01-01/2020-12-31"


def test_the_cube_is_the_same_bytes_whatever_the_order_of_the_records():
    a, b = record(fig(0, "1")), ReportRecord("s.txt", "1" * 64, "t", figures=(fig(9, "2"),))
    assert cube_ntriples([a, b]) == cube_ntriples([b, a])
