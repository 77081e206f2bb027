# language: fr
@US-01 @EX-01 @EX-02 @EX-03
Fonctionnalité: Rechercher un document dans le catalogue
  En tant que visiteur,
  je veux chercher un document par un mot de son titre, éventuellement parmi un seul type,
  afin de savoir si la médiathèque le possède sans avoir à me déplacer.

  Scénario: Un mot du titre suffit
    Étant donné un visiteur
    Quand il cherche "prince" dans le catalogue
    Alors le catalogue affiche "Le Petit Prince"
    Et le catalogue n'affiche pas "Les Misérables"

  Scénario: La recherche se limite à un type
    Étant donné un visiteur
    Quand il cherche "a" parmi les documents de type "dvd"
    Alors le catalogue affiche "Amélie"
    Et le catalogue n'affiche pas "Astérix le Gaulois"

  Scénario: Un type inconnu est refusé avec un message
    Étant donné un visiteur
    Quand il cherche "prince" parmi les documents de type "vinyle"
    Alors la recherche est refusée avec un message
