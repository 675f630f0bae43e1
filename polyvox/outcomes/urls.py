"""Pages of outcomes, mounted at /p/<slug>/: recommendations, designations, positions, decisions
and the outcome document."""

from django.urls import path

from polyvox.outcomes.views import decisions, designations, document, recommendations, rules

app_name = "outcomes"
urlpatterns = [
    path("outcomes/", recommendations.recommendation_list, name="list"),
    path("outcomes/new/", recommendations.create, name="create"),
    path("outcomes/rules/", rules.rules, name="rules"),
    path("outcomes/electors/", rules.electors, name="electors"),
    path("outcomes/electors/<int:elector_id>/remove/", rules.remove_elector, name="remove_elector"),
    path("outcomes/<int:number>/", recommendations.detail, name="recommendation"),
    path("outcomes/<int:number>/edit/", recommendations.edit, name="edit"),
    path("outcomes/<int:number>/designate/", designations.propose, name="propose"),
    path("outcomes/<int:number>/finalise/", designations.finalise, name="finalise"),
    path("outcomes/<int:number>/object/", designations.object_to, name="object"),
    path(
        "outcomes/objections/<int:objection_id>/withdraw/",
        designations.withdraw_objection,
        name="withdraw_objection",
    ),
    path("outcomes/<int:number>/position/", decisions.position, name="position"),
    path("outcomes/<int:number>/positions/", decisions.position_list, name="positions"),
    path("outcomes/<int:number>/decide/", decisions.declare, name="declare"),
    path("outcome/", document.outcome_document, name="document"),
    path("outcome.pdf", document.outcome_pdf, name="document_pdf"),
    path("outcome.json", document.outcome_json, name="document_json"),
]
