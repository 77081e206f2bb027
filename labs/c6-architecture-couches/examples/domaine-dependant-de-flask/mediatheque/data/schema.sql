-- Schéma PostgreSQL de la médiathèque (utilisé par mediatheque/data/postgres.py).
-- Les contraintes doublent les règles des services (défense en profondeur).

CREATE TABLE members (
    id   integer PRIMARY KEY,
    name text    NOT NULL
);

CREATE TABLE items (
    id    integer PRIMARY KEY,
    title text    NOT NULL,
    kind  text    NOT NULL CHECK (kind IN ('livre', 'dvd', 'cd'))
);

CREATE TABLE loans (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id   integer NOT NULL REFERENCES members (id),
    item_id     integer NOT NULL REFERENCES items (id),
    start_date  date    NOT NULL,
    due_date    date    NOT NULL,
    returned_on date,
    CHECK (due_date >= start_date)
);

-- Un document n'a qu'un prêt en cours à la fois.
CREATE UNIQUE INDEX loans_one_active_per_item ON loans (item_id) WHERE returned_on IS NULL;
-- Sobriété : les lectures fréquentes (prêts en cours d'un adhérent) restent indexées.
CREATE INDEX loans_active_by_member ON loans (member_id) WHERE returned_on IS NULL;

CREATE TABLE reservations (
    id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id integer NOT NULL REFERENCES members (id),
    item_id   integer NOT NULL UNIQUE REFERENCES items (id)
);
