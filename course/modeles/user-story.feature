# language: fr
# Modèle de user story : un fichier par story.
# - Première étiquette : l'identifiant de la story (un seul), puis les exigences du cahier des charges
#   qu'elle couvre.
# - La description : « En tant que <rôle>, je veux <action>, afin de <bénéfice> ».
# - Un scénario par critère d'acceptation, avec des valeurs vérifiables (pas « ça marche ») ;
#   un « Plan du scénario » quand seules les valeurs changent.
@US-00 @EX-00
Fonctionnalité: <Titre court de la story, un verbe à l'infinitif>
  En tant que <rôle : un acteur du cahier des charges>,
  je veux <ce que la personne fait avec le système>,
  afin de <le bénéfice, la raison du besoin>.

  Scénario: <Le cas nominal>
    Étant donné <le contexte : qui, quelles données, quel jour>
    Quand <l'action>
    Alors <le résultat observable>
    Et <un autre résultat observable>

  Plan du scénario: <Les cas qui ne diffèrent que par les valeurs>
    Étant donné <un contexte avec "<valeur>">
    Quand <l'action>
    Alors <le résultat "<attendu>">

    Exemples:
      | valeur | attendu |
      | ...    | ...     |
