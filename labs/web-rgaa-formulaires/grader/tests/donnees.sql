TRUNCATE reservations, loans, items, documents, members RESTART IDENTITY CASCADE;

-- Jeu de données des labs web-rgaa-formulaires, web-rgpd-consentement et web-anssi-entetes (fictif).
-- Comptes de démonstration : camille@exemple.fr et sacha@exemple.fr, mot de passe « lecture2031 ».
-- Camille n'a plus de prêt en cours (elle peut demander l'effacement) ; Sacha a trois documents.

INSERT INTO members (id, card_number, last_name, first_name, email, phone, birth_year, registered_on,
                     subscription_ends_on, password_hash)
VALUES
(1, 'M000001', 'Martin', 'Camille', 'camille@exemple.fr', '03 83 00 00 01', NULL, '2029-09-14', '2031-12-31',
 'scrypt:32768:8:1$6H6p25Rwvnk99sez$7f45af3896a926c8421bdb79936469de61a19dcfd2bf3ab05146b1b0c7758009d4307e1a7369a76bae5921f50068750cc44b1a09c25e5f76c10ed2ada051178a'),
(2, 'M000002', 'Bernard', 'Sacha', 'sacha@exemple.fr', '03 83 00 00 02', NULL, '2030-01-03', '2031-12-31',
 'scrypt:32768:8:1$6H6p25Rwvnk99sez$7f45af3896a926c8421bdb79936469de61a19dcfd2bf3ab05146b1b0c7758009d4307e1a7369a76bae5921f50068750cc44b1a09c25e5f76c10ed2ada051178a');

INSERT INTO documents (id, title, kind, publication_year, author) VALUES
(1, 'Les Misérables', 'livre', 1862, 'Victor Hugo'),
(2, 'Notre-Dame de Paris', 'livre', 1831, 'Victor Hugo'),
(3, 'Madame Bovary', 'livre', 1857, 'Gustave Flaubert'),
(4, 'Germinal', 'livre', 1885, 'Émile Zola'),
(5, 'L''Assommoir', 'livre', 1877, 'Émile Zola'),
(6, 'Le Rouge et le Noir', 'livre', 1830, 'Stendhal'),
(7, 'Bel-Ami', 'livre', 1885, 'Guy de Maupassant'),
(8, 'Le Père Goriot', 'livre', 1835, 'Honoré de Balzac'),
(9, 'Les Fleurs du mal', 'livre', 1857, 'Charles Baudelaire'),
(10, 'Vingt mille lieues sous les mers', 'livre', 1870, 'Jules Verne');

INSERT INTO items (id, document_id, barcode)
SELECT n, n, 'EX' || lpad(n::text, 6, '0') FROM generate_series(1, 10) AS n;

INSERT INTO loans (id, item_id, member_id, loaned_on, due_on, returned_on) VALUES
(1, 4, 1, '2031-02-01', '2031-02-22', '2031-02-20'),
(2, 7, 1, '2031-03-02', '2031-03-23', '2031-03-09'),
(3, 2, 2, '2031-02-25', '2031-03-18', NULL),
(4, 5, 2, '2031-03-04', '2031-03-25', NULL),
(5, 9, 2, '2031-03-07', '2031-03-28', NULL);

SELECT setval(pg_get_serial_sequence('members', 'id'), 100);
SELECT setval(pg_get_serial_sequence('documents', 'id'), 100);
SELECT setval(pg_get_serial_sequence('items', 'id'), 100);
SELECT setval(pg_get_serial_sequence('loans', 'id'), 100);
