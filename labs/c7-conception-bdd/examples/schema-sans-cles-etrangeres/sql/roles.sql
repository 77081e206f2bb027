-- Droits du rôle applicatif (créé par l'administrateur, nommé par la variable psql app_role).
-- Moindre privilège : uniquement les opérations dont l'application de prêt a besoin.

GRANT USAGE ON SCHEMA public TO :"app_role";

GRANT SELECT ON members, documents, items, loans, reservations TO :"app_role";
GRANT INSERT, UPDATE ON members TO :"app_role";
GRANT INSERT, UPDATE ON loans TO :"app_role";
GRANT INSERT, DELETE ON reservations TO :"app_role";
