"""The référentiel data: three CCPs, eleven competences, the transversal themes."""

from graders.referentiel import load_referentiel


def test_three_ccps_and_eleven_competences():
    ref = load_referentiel()
    assert [c.id for c in ref.ccps] == ["CCP1", "CCP2", "CCP3"]
    assert sorted(ref.competences, key=lambda c: int(c[1:])) == [f"C{i}" for i in range(1, 12)]
    assert ref.ccps[1].competences == ["C5", "C6", "C7", "C8"]


def test_every_competence_has_criteria_in_both_languages():
    for cid, comp in load_referentiel().competences.items():
        assert comp.criteria and len(comp.criteria) == len(comp.criteria_en), cid


def test_transversal_themes_present():
    themes = load_referentiel().themes
    assert {"rgaa", "rgpd", "anssi", "eco", "incidents", "english"} <= set(themes)


def test_titles_by_language():
    ref = load_referentiel()
    assert ref.title_of("C6", "fr").startswith("Définir l'architecture")
    assert ref.title_of("C6", "en") != ref.title_of("C6", "fr")
    assert ref.title_of("nope") is None
