# language: fr
@US-10 @EX-24 @EX-25
Fonctionnalité: Des pages accessibles qui informent
  En tant que visiteur utilisant un lecteur d'écran,
  je veux des pages en français, avec un lien d'évitement et des champs étiquetés,
  et savoir ce que la médiathèque fait de mes données,
  afin d'utiliser le site comme tout le monde.

  Plan du scénario: Les pages sont accessibles
    Étant donné un visiteur
    Quand il ouvre la page "<page>"
    Alors la page est en français
    Et la page a un lien d'évitement vers le contenu
    Et la page étiquette chacun de ses champs

    Exemples:
      | page         |
      | /            |
      | /catalogue   |
      | /inscription |
      | /connexion   |

  Scénario: La page sur les données personnelles donne les droits
    Étant donné un visiteur
    Quand il ouvre la page "/donnees-personnelles"
    Alors la page affiche "effacement"
