# language: fr
# Une user story par fichier : son id (@US-01) et les exigences qu'elle couvre (@EX-..) en étiquettes.
@US-01 @EX-01
Fonctionnalité: Rechercher un document dans le catalogue
  En tant que visiteur,
  je veux chercher un document par un mot de son titre,
  afin de savoir si la médiathèque le possède sans avoir à me déplacer.

  Scénario: Un mot du titre suffit
    Étant donné un visiteur
    Quand il cherche "prince" dans le catalogue
    Alors le catalogue affiche "Le Petit Prince"
