import datetime as dt

from outils.burndown import burndown, jours_ouvres


def test_les_week_ends_ne_comptent_pas():
    assert len(jours_ouvres(dt.date(2027, 1, 4), dt.date(2027, 1, 17))) == 10


def test_une_tache_fermee_sort_du_reste_le_soir_meme():
    reste = burndown({"T01": 3, "T02": 4}, {"T01": dt.date(2027, 1, 7)}, dt.date(2027, 1, 4), dt.date(2027, 1, 8))
    assert reste[dt.date(2027, 1, 6)] == 7
    assert reste[dt.date(2027, 1, 7)] == 4
