"""Le formulaire d'inscription et la recherche : ce que l'audit automatique ne peut pas décider seul."""

from __future__ import annotations

SAISIE = {"nom", "prenom", "courriel", "telephone", "annee_naissance"}
OBLIGATOIRES = {"nom", "prenom", "courriel"}
AUTOCOMPLETE = {"nom": "family-name", "prenom": "given-name", "courriel": "email", "telephone": "tel", "annee_naissance": "bday-year"}


def champs(doc):
    return [e for e in doc.all("input") if e.get("type", "text") not in ("hidden", "submit", "button", "image", "reset")] + \
        list(doc.all("select")) + list(doc.all("textarea"))


def formulaire(client, page, data=None):
    response = client.post("/inscription", data=data) if data is not None else client.get("/inscription")
    return response, page(response.get_data(as_text=True))


def test_chaque_champ_a_une_etiquette(client, page):
    """RGAA 11.1 : une étiquette <label for> (ou englobante) non vide pour chaque champ."""
    _, doc = formulaire(client, page)
    fields = champs(doc)
    assert len(fields) >= 8, "le formulaire doit garder tous ses champs (5 de saisie, 3 formules, le règlement)"
    for field in fields:
        label = doc.label_for(field)
        assert label is not None and label.text, f"champ sans étiquette : {field.attrs}"


def test_formules_regroupees_avec_legende(client, page):
    """RGAA 11.5 et 11.6 : les boutons radio dans un <fieldset> avec une <legend>."""
    _, doc = formulaire(client, page)
    radios = list(doc.all("input", type="radio"))
    assert len(radios) == 3
    for radio in radios:
        fieldset = next((a for a in radio.ancestors() if a.tag == "fieldset"), None)
        assert fieldset is not None, "bouton radio hors d'un fieldset"
        legend = next((c for c in fieldset.children if c.tag == "legend"), None)
        assert legend is not None and "formule" in legend.text.lower()


def test_finalite_des_champs(client, page):
    """RGAA 11.13 : autocomplete sur les champs qui concernent l'utilisateur."""
    _, doc = formulaire(client, page)
    for name, value in AUTOCOMPLETE.items():
        field = next(doc.all("input", name=name))
        assert field.get("autocomplete") == value, f"{name} : autocomplete=\"{value}\" attendu"


def test_champs_obligatoires_signales(client, page):
    """RGAA 11.10.1/11.10.2 : indication visible dans l'étiquette et attribut required (ou aria-required)."""
    _, doc = formulaire(client, page)
    for name in OBLIGATOIRES:
        field = next(doc.all("input", name=name))
        assert "required" in field.attrs or field.get("aria-required") == "true", f"{name} non marqué obligatoire"
        assert "obligatoire" in doc.label_for(field).text.lower(), f"l'étiquette de {name} ne dit pas « obligatoire »"


def test_bouton_d_envoi_natif(client, page):
    """RGAA 7.3 / 11.9 : un vrai bouton d'envoi, utilisable au clavier, avec un intitulé."""
    _, doc = formulaire(client, page)
    form = next(doc.all("form", method="post"))
    buttons = [e for e in form.iter() if (e.tag == "button" and e.get("type", "submit") == "submit")
               or (e.tag == "input" and e.get("type") == "submit")]
    assert buttons, "pas de bouton de type submit dans le formulaire"
    assert all((b.text or b.get("value")) for b in buttons)


def test_erreurs_reliees_aux_champs(client, page):
    """RGAA 11.10.3/11.10.4 : aria-invalid et message d'erreur relié par aria-describedby."""
    response, doc = formulaire(client, page, {})
    assert response.status_code in (200, 400, 422)
    for name in ("nom", "prenom", "courriel", "reglement"):
        field = next(doc.all("input", name=name))
        assert field.get("aria-invalid") == "true", f"{name} : aria-invalid=\"true\" attendu"
        ids = (field.get("aria-describedby") or "").split()
        messages = [doc.by_id(i) for i in ids if doc.by_id(i) is not None]
        assert any(m.text for m in messages), f"{name} : aucun message d'erreur relié par aria-describedby"


def test_resume_des_erreurs_annonce(client, page):
    """RGAA 7.5 : le résumé des erreurs est un message de statut (role=alert ou aria-live)."""
    _, doc = formulaire(client, page, {})
    annonces = [e for e in doc.root.iter() if e.get("role") == "alert" or e.get("aria-live") in ("assertive", "polite")]
    assert annonces and any(a.text for a in annonces), "erreurs non annoncées aux technologies d'assistance"


def test_saisie_conservee_apres_erreur(client, page, valide):
    """RGAA 11.10 / 11.12 : une erreur ne fait pas perdre ce qui a été saisi."""
    data = dict(valide, courriel="pas-une-adresse")
    _, doc = formulaire(client, page, data)
    assert next(doc.all("input", name="nom")).get("value") == "Dupont"
    assert next(doc.all("input", name="courriel")).get("aria-invalid") == "true"


def test_inscription_reussie_annoncee(client, page, valide):
    """RGAA 7.5.1 : le succès est annoncé (role=status)."""
    response, doc = formulaire(client, page, valide)
    assert response.status_code == 200
    statuts = [e for e in doc.root.iter() if e.get("role") == "status" or e.get("aria-live") == "polite"]
    assert any("enregistr" in s.text.lower() for s in statuts)


def test_tableau_de_resultats(client, page):
    """RGAA 5.4 et 5.6/5.7 : titre du tableau (caption) et en-têtes de colonnes déclarés."""
    doc = page(client.get("/recherche?q=zola").get_data(as_text=True))
    table = next(doc.all("table"), None)
    assert table is not None, "les résultats doivent être présentés dans un tableau"
    caption = next((c for c in table.children if c.tag == "caption"), None)
    assert caption is not None and caption.text
    headers = [e for e in table.iter() if e.tag == "th"]
    assert len(headers) >= 3 and all(h.get("scope") in ("col", "row") for h in headers)
    assert "Germinal" in table.text
