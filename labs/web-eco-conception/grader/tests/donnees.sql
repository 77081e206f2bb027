TRUNCATE reservations, loans, items, documents, members RESTART IDENTITY CASCADE;

-- Jeu de données du lab web-eco-conception : 120 livres fictifs (titres numérotés), pour la pagination.

INSERT INTO documents (id, title, kind, publication_year, author, summary)
SELECT n, 'Titre du livre n° ' || n, 'livre', 1850 + (n * 7) % 170,
       (ARRAY['Victor Hugo', 'Émile Zola', 'George Sand', 'Gustave Flaubert', 'Colette', 'Jules Verne',
              'Marguerite Duras', 'Albert Camus', 'Honoré de Balzac', 'Simone de Beauvoir'])[n % 10 + 1],
       'Résumé du livre n° ' || n || ' : une histoire qui se lit d''une traite.'
FROM generate_series(1, 120) AS n;

INSERT INTO items (document_id, barcode)
SELECT n, 'EX' || lpad(n::text, 6, '0') FROM generate_series(1, 120) AS n;

SELECT setval(pg_get_serial_sequence('documents', 'id'), 1000);
