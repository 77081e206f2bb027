-- Jeu de données fictif (courriels en example.org). Rechargé avant chaque test.
TRUNCATE loans, items, documents, members RESTART IDENTITY CASCADE;

INSERT INTO members (id, card_number, last_name, first_name, email) VALUES
    (1, 'M000001', 'Lefictif', 'Alice', 'alice.lefictif@example.org'),
    (2, 'M000002', 'Dupréfabriqué', 'Bruno', 'bruno.d@example.org'),
    (3, 'M000003', 'Inventé', 'Chloé', 'chloe.invente@example.org'),
    (4, 'M000004', 'Dupont-Imaginaire', 'David', 'david.di@example.org');

INSERT INTO documents (id, title, kind, publication_year) VALUES
    (1, 'Le Petit Prince', 'livre', 1943),
    (2, 'Les Misérables', 'livre', 1862),
    (3, 'Amélie', 'dvd', 2001),
    (4, 'Kind of Blue', 'cd', 1959),
    (5, 'Le Prince de Motordu', 'livre', 1980);

INSERT INTO items (id, document_id, barcode) VALUES
    (101, 1, 'EX101'), (102, 1, 'EX102'), (103, 2, 'EX103'), (104, 3, 'EX104'),
    (105, 4, 'EX105'), (106, 5, 'EX106'), (107, 2, 'EX107'), (108, 2, 'EX108'),
    (109, 3, 'EX109'), (110, 4, 'EX110');

INSERT INTO loans (id, item_id, member_id, loaned_on, due_on, returned_on) VALUES
    (1, 101, 1, '2031-02-01', '2031-02-22', '2031-02-20'),
    (2, 102, 1, '2031-03-01', '2031-03-22', NULL),
    (3, 104, 2, '2031-03-02', '2031-03-23', NULL),
    (4, 103, 3, '2031-02-10', '2031-03-03', NULL),
    (5, 107, 3, '2031-02-11', '2031-03-04', NULL),
    (6, 108, 3, '2031-02-12', '2031-03-05', NULL),
    (7, 105, 3, '2031-02-13', '2031-03-06', NULL);

SELECT setval(pg_get_serial_sequence('members', 'id'), 100);
SELECT setval(pg_get_serial_sequence('documents', 'id'), 100);
SELECT setval(pg_get_serial_sequence('items', 'id'), 1000);
SELECT setval(pg_get_serial_sequence('loans', 'id'), 100);
