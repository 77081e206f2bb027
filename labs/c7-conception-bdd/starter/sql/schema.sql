-- Schéma physique de la médiathèque (PostgreSQL 15) — à compléter.
-- Voir le cahier des charges (README du lab) : tables, colonnes, contraintes, index, commentaires.

CREATE TABLE members (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    last_name text NOT NULL,
    first_name text NOT NULL
);
