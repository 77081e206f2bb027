-- Médiathèque de référence, migration 0006 : rôles (adhérent, bibliothécaire, administrateur).
-- Le rôle est vérifié par la couche métier (services) ; la contrainte refuse toute autre valeur.
ALTER TABLE members ADD COLUMN role text NOT NULL DEFAULT 'adherent'
CHECK (role IN ('adherent', 'bibliothecaire', 'administrateur'));

COMMENT ON COLUMN members.role IS 'droits : adherent (ses prêts), bibliothecaire (tous les prêts), administrateur (et les rôles)';
