-- Purge de conservation (CNIL, fiche 14) : un adhérent dont l'abonnement a pris fin depuis plus
-- de 3 ans (durée retenue par la médiathèque et écrite dans sa politique de confidentialité) est
-- anonymisé. Ses prêts restent, rattachés à une fiche anonyme : les statistiques de la
-- médiathèque restent justes, sans identité. Les deux ordres s'exécutent dans une même
-- transaction, avec un paramètre : la date du jour (reference).

DELETE FROM reservations r
USING members m
WHERE r.member_id = m.id
  AND m.erased_on IS NULL
  AND m.subscription_ends_on < %(reference)s::date - interval '3 years'
  AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.member_id = m.id AND l.returned_on IS NULL);

UPDATE members m
SET last_name = 'Anonyme',
    first_name = 'Anonyme',
    email = 'efface-' || m.id || '@invalid',
    phone = NULL,
    birth_year = NULL,
    password_hash = NULL,
    erased_on = %(reference)s::date
WHERE m.erased_on IS NULL
  AND m.subscription_ends_on < %(reference)s::date - interval '3 years'
  AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.member_id = m.id AND l.returned_on IS NULL);
