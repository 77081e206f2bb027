-- Droits du rôle applicatif (créé par l'administrateur, nommé par la variable psql app_role).
-- Moindre privilège : uniquement les opérations dont l'application de prêt a besoin.

GRANT USAGE ON SCHEMA public TO :"app_role";

GRANT SELECT ON member, document, item, loan, reservation TO :"app_role";
GRANT INSERT, UPDATE ON member TO :"app_role";
GRANT INSERT, UPDATE ON loan TO :"app_role";
GRANT INSERT, DELETE ON reservation TO :"app_role";
