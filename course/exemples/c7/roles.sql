-- Droits des rôles, créés par l'administrateur et désignés par des variables psql :
--   psql -v app_role=... -v stats_role=... -f roles.sql
-- Moindre privilège : chaque rôle reçoit ce dont il a besoin, rien de plus.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM public;
GRANT USAGE ON SCHEMA public TO :"app_role", :"stats_role";

-- L'application de prêt : lire, inscrire, prêter, rendre, réserver ; jamais supprimer un prêt.
GRANT SELECT ON members, documents, items, loans, reservations TO :"app_role";
GRANT INSERT, UPDATE ON members, loans TO :"app_role";
GRANT INSERT, DELETE ON reservations TO :"app_role";

-- Les statistiques : la vue agrégée, et aucune table (donc aucune donnée personnelle).
GRANT SELECT ON loan_counts_by_kind TO :"stats_role";
