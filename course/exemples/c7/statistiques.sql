-- Une vue pour les statistiques de prêt : des comptes par type de document, aucune donnée personnelle.
-- Le rôle des statistiques lira cette vue et rien d'autre (roles.sql).

CREATE VIEW loan_counts_by_kind AS
SELECT
    d.kind,
    count(l.id) AS loans
FROM documents AS d
INNER JOIN items AS i ON d.id = i.document_id
LEFT JOIN loans AS l ON i.id = l.item_id
GROUP BY d.kind;

COMMENT ON VIEW loan_counts_by_kind IS 'Nombre de prêts (en cours et rendus) par type de document';
