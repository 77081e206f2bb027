-- Médiathèque de référence, migration 0005 : le résumé d'un document (fiche du catalogue).

ALTER TABLE documents ADD COLUMN summary text;

COMMENT ON COLUMN documents.summary IS 'Résumé affiché sur la fiche du document (facultatif)';
