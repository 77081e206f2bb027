-- Jeu de données fictif de la médiathèque de référence (noms inventés, courriels en example.org).
-- Date de référence des tests : mardi 11 mars 2031.

INSERT INTO members (id, card_number, last_name, first_name, email, birth_year, registered_on, subscription_ends_on)
VALUES
(1, 'M000001', 'Lefictif', 'Alice', 'alice.lefictif@example.org', 1985, '2030-01-10', '2031-12-31'),
(2, 'M000002', 'Dupréfabriqué', 'Bruno', 'bruno.d@example.org', 2016, '2030-02-03', '2031-12-31'),
(3, 'M000003', 'Inventé', 'Chloé', 'chloe.invente@example.org', 1972, '2030-03-15', '2031-12-31'),
(4, 'M000004', 'Imaginaire', 'David', 'david.imaginaire@example.org', NULL, '2029-05-20', '2031-01-31');

INSERT INTO documents (id, title, kind, publication_year, isbn) VALUES
(1, 'Le Petit Prince', 'livre', 1943, '9782070612758'),
(2, 'Astérix le Gaulois', 'bd', 1961, NULL),
(3, 'Amélie', 'dvd', 2001, NULL),
(4, 'Kind of Blue', 'cd', 1959, NULL),
(5, 'Science et Vie n°1250', 'revue', 2021, NULL),
(6, 'Les Misérables', 'livre', 1862, '9782070409228');

INSERT INTO items (id, document_id, barcode) VALUES
(101, 1, 'EX000101'), (102, 1, 'EX000102'), (103, 2, 'EX000103'), (104, 3, 'EX000104'),
(105, 4, 'EX000105'), (106, 5, 'EX000106'), (107, 6, 'EX000107'), (108, 6, 'EX000108'),
(109, 2, 'EX000109'), (110, 3, 'EX000110');

INSERT INTO loans (id, item_id, member_id, loaned_on, due_on, returned_on) VALUES
(1, 101, 1, '2031-01-07', '2031-01-28', '2031-01-20'),
(2, 103, 2, '2031-03-04', '2031-03-18', NULL),
(3, 104, 2, '2031-03-07', '2031-03-14', NULL),
(4, 105, 2, '2031-03-08', '2031-03-22', NULL),
(5, 107, 3, '2031-02-01', '2031-02-22', NULL);

INSERT INTO reservations (id, member_id, document_id, reserved_on) VALUES
(1, 1, 3, '2031-03-05'),
(2, 4, 3, '2031-03-02');

SELECT setval(pg_get_serial_sequence('members', 'id'), 100);
SELECT setval(pg_get_serial_sequence('documents', 'id'), 100);
SELECT setval(pg_get_serial_sequence('items', 'id'), 1000);
SELECT setval(pg_get_serial_sequence('loans', 'id'), 100);
SELECT setval(pg_get_serial_sequence('reservations', 'id'), 100);
