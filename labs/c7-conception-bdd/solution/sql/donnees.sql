-- Jeu de données fictif : noms inventés, courriels en example.org,
-- téléphones dans les tranches réservées à la fiction par l'ARCEP.

INSERT INTO members (card_number, last_name, first_name, email, phone, birth_year, registered_on)
VALUES
('M000001', 'Lefictif', 'Alice', 'alice.lefictif@example.org', '01 99 00 12 34', 1985, '2023-01-10'),
('M000002', 'Dupréfabriqué', 'Bruno', 'bruno.d@example.org', NULL, 2011, '2023-02-03'),
('M000003', 'Inventé', 'Chloé', 'chloe.invente@example.org', '06 39 98 45 67', 1972, '2023-03-15'),
('M000004', 'Imaginaire', 'David', 'david.imaginaire@example.org', NULL, 1999, '2023-05-20'),
('M000005', 'Supposé', 'Emma', 'emma.suppose@example.org', NULL, 2008, '2024-01-08'),
('M000006', 'Hypothèse', 'Farid', 'farid.h@example.org', '01 99 00 98 76', 1964, '2024-02-11');

INSERT INTO documents (title, kind, publication_year, isbn)
VALUES
('Les Misérables', 'livre', 1862, '9782070409228'),
('Le Petit Prince', 'livre', 1943, '9782070612758'),
('Voyage au bout de la nuit', 'livre', 1932, '9782070360284'),
('Amélie', 'dvd', 2001, NULL),
('La Haine', 'dvd', 1995, NULL),
('Kind of Blue', 'cd', 1959, NULL),
('Science et Vie n°1250', 'revue', 2021, NULL),
('Germinal', 'livre', 1885, '9782070413935');

INSERT INTO items (document_id, barcode)
SELECT
    d.id AS document_id,
    v.barcode
FROM (
    VALUES
    ('Les Misérables', 'EX000001'),
    ('Les Misérables', 'EX000002'),
    ('Le Petit Prince', 'EX000003'),
    ('Le Petit Prince', 'EX000004'),
    ('Voyage au bout de la nuit', 'EX000005'),
    ('Amélie', 'EX000006'),
    ('La Haine', 'EX000007'),
    ('Kind of Blue', 'EX000008'),
    ('Science et Vie n°1250', 'EX000009'),
    ('Germinal', 'EX000010'),
    ('Germinal', 'EX000011')
) AS v (title, barcode)
INNER JOIN documents AS d ON v.title = d.title;

INSERT INTO loans (item_id, member_id, loaned_on, due_on, returned_on)
SELECT
    i.id AS item_id,
    m.id AS member_id,
    v.loaned_on::date,
    v.due_on::date,
    v.returned_on::date
FROM (
    VALUES
    ('EX000001', 'M000001', '2024-03-01', '2024-03-22', '2024-03-20'),
    ('EX000003', 'M000002', '2024-03-05', '2024-03-26', NULL),
    ('EX000006', 'M000003', '2024-03-10', '2024-03-31', NULL),
    ('EX000010', 'M000001', '2024-03-12', '2024-04-02', NULL),
    ('EX000008', 'M000004', '2024-02-01', '2024-02-22', '2024-02-25'),
    ('EX000005', 'M000005', '2024-03-15', '2024-04-05', NULL)
) AS v (barcode, card_number, loaned_on, due_on, returned_on)
INNER JOIN items AS i ON v.barcode = i.barcode
INNER JOIN members AS m ON v.card_number = m.card_number;

INSERT INTO reservations (member_id, document_id, reserved_on)
SELECT
    m.id AS member_id,
    d.id AS document_id,
    v.reserved_on::date
FROM (
    VALUES
    ('M000004', 'Le Petit Prince', '2024-03-06'),
    ('M000006', 'Amélie', '2024-03-11'),
    ('M000001', 'Le Petit Prince', '2024-03-12')
) AS v (card_number, title, reserved_on)
INNER JOIN members AS m ON v.card_number = m.card_number
INNER JOIN documents AS d ON v.title = d.title;
