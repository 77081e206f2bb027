-- Médiathèque de référence, migration 0003 : compte en ligne et effacement (RGPD art. 17).

-- Mot de passe haché (jamais en clair) ; NULL tant que l'adhérent n'a pas activé son compte.
ALTER TABLE members ADD COLUMN password_hash text;
-- Date d'expiration de l'abonnement (REGLES.md, droit d'emprunter).
ALTER TABLE members ADD COLUMN subscription_ends_on date NOT NULL
DEFAULT (current_date + 365);
-- Un adhérent qui a emprunté est anonymisé, pas supprimé : l'historique des prêts reste exact.
ALTER TABLE members ADD COLUMN erased_on date;

COMMENT ON COLUMN members.password_hash IS 'secret : empreinte du mot de passe (scrypt)';
COMMENT ON COLUMN members.erased_on IS 'date de l''effacement : identité remplacée par des valeurs neutres';
