"""The schema is data: kg/schema.py reads ontology/kg.ttl and ontology/classes.ttl, the KG
namespace agrees with them, and a new class needs only ontology/ edits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph

from kg import schema
from kg.ontology import KG, resource_dir

ROOT = Path(__file__).resolve().parent.parent


def _ontology() -> Graph:
    graph = Graph()
    for name in ("kg.ttl", "classes.ttl"):
        graph.parse(data=(resource_dir("ontology") / name).read_text("utf-8"), format="turtle")
    return graph


def test_kg_namespace_is_the_ontology():
    """Every name of the KG DefinedNamespace is defined in the Turtle, and every kg: term
    the Turtle defines is a name of the namespace."""
    graph = _ontology()
    ns = str(KG._NS)
    defined = {str(s)[len(ns) :] for s in graph.subjects(RDF.type, None) if str(s).startswith(ns)}
    declared = set(KG.__annotations__)
    assert declared == defined, (sorted(declared - defined), sorted(defined - declared))


def test_every_class_is_either_an_entity_class_or_internal_or_abstract():
    graph = _ontology()
    ns = str(KG._NS)
    owl_classes = {
        str(c)[len(ns) :] for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(ns)
    }
    assert set(schema.classes()) == owl_classes
    for name, info in schema.classes().items():
        assert info.entity != (info.internal or info.abstract), name
        assert info.label != name, f"{name} has no Chinese label"


def test_class_facts_are_stated_once_and_read_everywhere():
    from kg.stats import counted_classes
    from kg.viz import class_styles, hidden_by_default

    assert [n for n in class_styles() if n != "Other"] == list(schema.entity_classes())
    assert class_styles()["Subdistrict"]["name"] == "街道 Subdistrict"
    assert hidden_by_default() == {"Metric"}
    assert "Town" in counted_classes() and "Role" not in counted_classes()
    assert {n for n, c in schema.classes().items() if c.composed_label} == {"Post", "Metric"}
    assert schema.division_levels() == {
        "Subdistrict": "township",
        "Town": "township",
        "Community": "village",
        "District": "district",
        "City": "city",
        "Province": "province",
    }


@pytest.mark.parametrize(
    "value, problem",
    [
        ("2020-02-29", None),
        ("2020-02-30", "is not a real date: '2020-02-30' (February 2020 has 29 days)"),
        ("2020-13-45", "is not a real date: '2020-13-45' (month 13)"),
        ("--02-29", None),
        ("--04", None),
        ("--13", "is not a real date: '--13' (month 13)"),
        ("2020-04", None),
        ("2020", None),
        ("2月11日", "must be YYYY-MM-DD"),
    ],
)
def test_dates_are_checked_for_real_days(value, problem):
    found = schema.DATATYPES[str(KG.DateOrPart)].check(value)
    assert (found is None) == (problem is None)
    if problem:
        assert found.startswith(problem)


def test_every_fact_key_has_a_datatype_or_a_class():
    for key, spec in schema.properties().items():
        if spec.kind == "literal":
            assert str(spec.range) in schema.DATATYPES, key


POLICY_CLASS = """
kg:PolicyDocument a owl:Class ;
    rdfs:subClassOf schema:Legislation , prov:Entity ;
    rdfs:label "Policy document"@en , "政策文件"@zh ;
    rdfs:comment "A policy a government body issued (通知, 意见, 办法)."@en .

kg:issuedBy a owl:ObjectProperty ; kg:factKey "issuedBy" ;
    rdfs:domain kg:PolicyDocument ; rdfs:range kg:AdministrativeArea ;
    rdfs:label "issued by"@en , "发布机关"@zh ;
    rdfs:comment "The area whose government issued the document."@en .

kg:issuedOn a owl:DatatypeProperty ; kg:factKey "issuedOn" ;
    rdfs:domain kg:PolicyDocument ; rdfs:range kg:DateOrPart ;
    rdfs:label "issued on"@en , "发布日期"@zh ;
    rdfs:comment "When the document was issued, as precisely as the article says."@en .
"""
POLICY_TREATMENT = """
kg:PolicyDocument kg:order 45 ; kg:counted true ;
    kg:viewerColor "#8c564b" ; kg:viewerShape "box" ; kg:viewerSize 14 ; kg:viewerFont 14 .
"""
POLICY_FACTS = """
  - id: jinnan-fugong-tongzhi
    type: PolicyDocument
    label: 复工通知
    quote: 2020年2月10日，锦南街道发布复工通知
    issuedBy: jinnan-jiedao
    issuedOn: "2020-02-10"
"""


@pytest.mark.slow
def test_a_new_class_with_two_properties_needs_only_ontology_edits(tmp_path):
    """The walk-through of docs/architecture.md: copy the project, add PolicyDocument with
    issuedBy and issuedOn to ontology/ only, and build a fact file that uses them."""
    project = tmp_path / "project"
    for part in ("kg", "ontology", "viz"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    kg_ttl = project / "ontology" / "kg.ttl"
    kg_ttl.write_text(kg_ttl.read_text("utf-8") + POLICY_CLASS, "utf-8")
    classes = project / "ontology" / "classes.ttl"
    classes.write_text(classes.read_text("utf-8") + POLICY_TREATMENT, "utf-8")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "articles" / "000_55e4261343172afa.txt").write_text(
        (ROOT / "data" / "articles" / "000_55e4261343172afa.txt").read_text("utf-8")
        + "\n2020年2月10日，锦南街道发布复工通知。\n",
        "utf-8",
    )
    facts = data / "facts" / "000.yaml"
    text = facts.read_text("utf-8").replace("\nentities:\n", "\nentities:\n" + POLICY_FACTS, 1)
    facts.write_text(text, "utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--data", str(data), "--out", str(out)],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "PolicyDocument" in run.stdout  # counted in the build summary
    turtle = (out / "kg.ttl").read_text("utf-8")
    assert "kgr:jinnan-fugong-tongzhi a kg:PolicyDocument" in turtle
    assert "kg:issuedBy kgr:jinnan-jiedao" in turtle
    assert 'kg:issuedOn "2020-02-10"^^xsd:date' in turtle
    page = (out / "kg.html").read_text("utf-8")
    assert "政策文件 PolicyDocument" in page  # in the viewer's legend, with its colour
    assert "#8c564b" in page
