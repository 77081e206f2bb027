# language: fr
@US-09 @EX-22 @EX-23
Fonctionnalité: Exercer mes droits sur mes données
  En tant qu'adhérent,
  je veux télécharger mes données et pouvoir supprimer mon compte,
  afin de savoir ce que la médiathèque conserve sur moi et de partir quand je le souhaite.

  Scénario: Le téléchargement contient mes données, pas mon mot de passe
    Étant donné un nouvel adhérent est connecté
    Quand il télécharge ses données
    Alors le fichier téléchargé contient son adresse électronique
    Et le fichier téléchargé ne contient pas son mot de passe

  Scénario: L'effacement est refusé tant qu'un document est emprunté
    Étant donné un nouvel adhérent est connecté
    Quand il emprunte l'exemplaire "EX000102"
    Et il demande l'effacement de son compte
    Alors l'effacement est refusé

  Scénario: L'effacement anonymise le compte
    Étant donné un nouvel adhérent est connecté
    Quand il demande l'effacement de son compte
    Alors son compte est effacé et l'historique de ses prêts est conservé sans son identité
