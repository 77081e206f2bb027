# language: fr
@US-07 @EX-19
Fonctionnalité: Consulter son compte
  En tant qu'adhérent,
  je veux voir mes prêts en cours et leur date de retour,
  afin de ne pas rendre un document en retard.

  Scénario: Le compte montre les prêts et leur date de retour
    Étant donné l'adhérent "M000003" est connecté
    Quand il ouvre la page "/compte"
    Alors la page affiche "Les Misérables"
    Et la page affiche "2031-02-22"
