-- Médiathèque de référence, migration 0004 : l'auteur d'un document (recherche du catalogue).

ALTER TABLE documents ADD COLUMN author text;

COMMENT ON COLUMN documents.author IS 'Auteur, réalisateur ou « Collectif »';
