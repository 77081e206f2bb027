-- Jeu d'essai fictif et rejouable : il vide les tables puis les remplit, toujours à l'identique.
-- Courriels en example.org (RFC 2606), téléphones dans la tranche réservée à la fiction.

TRUNCATE reservations, loans, items, documents, members RESTART IDENTITY;

INSERT INTO members (card_number, last_name, first_name, email, phone, birth_year, registered_on) VALUES
('M000001', 'Fictif', 'Anne', 'anne.fictif@example.org', NULL, 1990, '2030-01-05'),
('M000002', 'Postiche', 'Basile', 'basile.postiche@example.org', '01 99 00 11 22', 2016, '2030-02-10'),
('M000003', 'Factice', 'Céline', 'celine.factice@example.org', NULL, 1978, '2030-06-01'),
('M000004', 'Simulé', 'Denis', 'denis.simule@example.org', NULL, NULL, '2031-01-15'),
('M000005', 'Inventé', 'Émile', 'emile.invente@example.org', '06 39 98 00 01', 1985, '2031-02-01');

INSERT INTO documents (title, kind, publication_year) VALUES
('Notre-Dame de Paris', 'livre', 1831),
('Le Fabuleux Destin', 'dvd', 2001),
('Boléro', 'cd', 1928),
('Candide', 'livre', 1759),
('Astérix le Gaulois', 'bd', 1961),
('Le Monde diplomatique', 'revue', 2031),
('Les Misérables', 'livre', 1862),
('Le Petit Prince', 'livre', 1943);

INSERT INTO items (document_id, barcode) VALUES
(1, 'EX000101'), (1, 'EX000102'), (2, 'EX000103'), (3, 'EX000104'), (4, 'EX000105'),
(4, 'EX000106'), (5, 'EX000107'), (6, 'EX000108'), (7, 'EX000109'), (8, 'EX000110');

-- Un prêt rendu, trois en cours dont un en retard au 11/03/2031, un prêt de DVD.
INSERT INTO loans (item_id, member_id, loaned_on, due_on, returned_on) VALUES
(1, 1, '2031-01-07', '2031-01-28', '2031-01-25'),
(2, 2, '2031-03-04', '2031-03-25', NULL),
(5, 3, '2031-02-04', '2031-02-25', NULL),
(3, 5, '2031-03-08', '2031-03-15', NULL),
(6, 3, '2031-03-04', '2031-03-25', NULL);

INSERT INTO reservations (member_id, document_id, reserved_on) VALUES
(4, 2, '2031-03-09'),
(1, 2, '2031-03-10');
