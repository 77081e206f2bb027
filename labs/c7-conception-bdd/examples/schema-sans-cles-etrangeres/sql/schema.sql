-- Schéma physique de la médiathèque (PostgreSQL 15).
-- Erreur typique : les colonnes *_id existent mais aucune clé étrangère n'est déclarée.
-- Les règles du cahier des charges sont portées par des contraintes.

CREATE TABLE members (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    card_number text NOT NULL UNIQUE CHECK (card_number ~ '^M[0-9]{6}$'),
    last_name text NOT NULL CHECK (last_name <> ''),
    first_name text NOT NULL CHECK (first_name <> ''),
    email text NOT NULL UNIQUE CHECK (email LIKE '%_@_%'),
    phone text,
    birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100),
    registered_on date NOT NULL DEFAULT current_date
);

COMMENT ON TABLE members IS 'Adhérent de la médiathèque';
COMMENT ON COLUMN members.last_name IS 'donnée personnelle : nom';
COMMENT ON COLUMN members.first_name IS 'donnée personnelle : prénom';
COMMENT ON COLUMN members.email IS 'donnée personnelle : courriel (avis de retard)';
COMMENT ON COLUMN members.phone IS 'donnée personnelle : téléphone (facultatif)';
COMMENT ON COLUMN members.birth_year IS
'donnée personnelle : année de naissance (tarif jeunesse ; la date complète est inutile)';

CREATE TABLE documents (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL CHECK (title <> ''),
    kind text NOT NULL CHECK (kind IN ('livre', 'dvd', 'cd', 'revue')),
    publication_year smallint CHECK (publication_year BETWEEN 1450 AND 2100),
    isbn text UNIQUE
);

COMMENT ON TABLE documents IS 'Notice du catalogue';

CREATE TABLE items (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id integer NOT NULL,
    barcode text NOT NULL UNIQUE
);

COMMENT ON TABLE items IS 'Exemplaire physique d''un document';
CREATE INDEX item_document_id_idx ON items (document_id);

CREATE TABLE loans (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id integer NOT NULL,
    member_id integer NOT NULL,
    loaned_on date NOT NULL DEFAULT current_date,
    due_on date NOT NULL,
    returned_on date,
    CONSTRAINT loan_due_after_start CHECK (due_on > loaned_on),
    CONSTRAINT loan_returned_after_start CHECK (returned_on >= loaned_on)
);

COMMENT ON TABLE loans IS 'Prêt d''un exemplaire à un adhérent (historique conservé)';
CREATE INDEX loan_item_id_idx ON loans (item_id);
CREATE INDEX loan_member_id_idx ON loans (member_id);
-- Un exemplaire n'a qu'un prêt en cours à la fois.
CREATE UNIQUE INDEX loan_one_active_per_item ON loans (item_id)
WHERE returned_on IS NULL;

CREATE TABLE reservations (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id integer NOT NULL,
    document_id integer NOT NULL,
    reserved_on date NOT NULL DEFAULT current_date,
    CONSTRAINT reservation_once_per_member UNIQUE (member_id, document_id)
);

COMMENT ON TABLE reservations IS 'Réservation d''un documents par un adhérent';
CREATE INDEX reservation_document_id_idx ON reservations (document_id);
