from django.db import migrations

# Council outcomes per involvement: the old single list mapped to the words of each kind.
OUTCOMES = {
    "informed": {"adopted": "noted", "adopted_amended": "noted", "rejected": "noted"},
    "wishes": {"adopted": "no_wishes", "adopted_amended": "wishes_expressed", "rejected": "wishes_expressed"},
    "opinion": {"adopted": "no_opinion", "adopted_amended": "opinion_submitted", "rejected": "opinion_submitted"},
    "consent": {"adopted": "consented", "adopted_amended": "consented", "rejected": "consent_refused"},
    "framework": {"adopted": "framework_set", "adopted_amended": "framework_set", "rejected": "framework_rejected"},
}


def forward(apps, schema_editor):
    """Existing decisions keep their outcome (approved = signed by the mayor, with the secretary named on
    it at recording); existing tracks get their college decision and the outcome that fits their kind."""
    CollegeDecision = apps.get_model("decisions", "CollegeDecision")
    CouncilTrack = apps.get_model("decisions", "CouncilTrack")
    RegionalProposal = apps.get_model("decisions", "RegionalProposal")
    for decision in CollegeDecision.objects.all():
        signing = {"submitted": "to_sign", "approved": "signed"}.get(decision.signing, decision.signing)
        decision.signing = signing
        if signing == "signed":
            decision.mayor_signed_as = "mayor"
            decision.secretary_signed_as = "municipal_secretary"
        elif signing != "signed":
            decision.mayor_name = decision.secretary_name = ""
        decision.save()
    decisions = {(d.proposal_id, d.municipality_id): d.pk for d in CollegeDecision.objects.all()}
    for track in CouncilTrack.objects.all():
        track.decision_id = decisions.get((track.proposal_id, track.municipality_id))
        if track.outcome and track.outcome != "postponed":
            track.outcome = OUTCOMES[track.involvement].get(track.outcome, track.outcome)
        track.save()
    RegionalProposal.objects.filter(opinion_document="").update(opinion_weeks=None)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0004_decision_chain")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
