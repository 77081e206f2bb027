-- Version 1.1 de la médiathèque : courriels comparés sans casse, recherche par titre indexée.
-- Migration de données (les lignes restent, seules les valeurs sont normalisées) puis index.

UPDATE members SET email = lower(email) WHERE email <> lower(email);
CREATE INDEX documents_title_lower_idx ON documents (lower(title));
