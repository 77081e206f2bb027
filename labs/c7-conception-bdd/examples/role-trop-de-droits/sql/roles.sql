-- Erreur typique : « pour que ça marche », l'application reçoit tous les droits.

GRANT ALL ON SCHEMA public TO :"app_role";
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
