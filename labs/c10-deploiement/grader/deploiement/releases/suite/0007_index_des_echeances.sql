-- Version 1.2 de la médiathèque : index des prêts en cours par date de retour (avis de retard).

CREATE INDEX loans_due_on_active_idx ON loans (due_on) WHERE returned_on IS NULL;
