# language: fr
@US-05 @EX-16
Fonctionnalité: Connaître la pénalité d'un retard
  En tant que bibliothécaire,
  je veux que la pénalité d'un retard soit calculée selon la règle,
  afin de l'annoncer à l'adhérent sans erreur ni discussion.

  Plan du scénario: Tolérance, tarif et plafond
    Quand un document est rendu avec <jours> jours de retard
    Alors la pénalité est de <montant> €

    Exemples:
      | jours | montant |
      | 2     | 0,00    |
      | 10    | 1,50    |
      | 100   | 8,00    |
