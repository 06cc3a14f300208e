from django.db import migrations


class Migration(migrations.Migration):
    """The mayor signs and the secretary co-signs (Gemeentewet art. 59a): 'approval' becomes signing."""

    dependencies = [("decisions", "0002_council_tracks")]

    operations = [
        *(
            migrations.RenameField(model_name=model, old_name=old, new_name=new)
            for model in ("collegedecision", "historicalcollegedecision")
            for old, new in (
                ("review", "signing"),
                ("review_comment", "signing_comment"),
                ("approved_by", "mayor_signed_by"),
                ("approved_at", "mayor_signed_at"),
            )
        ),
    ]
