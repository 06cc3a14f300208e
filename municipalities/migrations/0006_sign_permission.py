from django.db import migrations


def forward(apps, schema_editor):
    """Approval becomes signing: the permission keeps its grants under its new name; the mayor
    holds public order and safety by law (Gemeentewet art. 172)."""
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="municipalities", codename="approve_college_decisions").update(
        codename="sign_college_decisions", name="Can sign the college decisions of the municipality"
    )
    Portfolio = apps.get_model("municipalities", "Portfolio")
    for portfolio in Portfolio.objects.filter(name__icontains="openbare orde"):
        portfolio.held_by_mayor = True
        portfolio.save(update_fields=["held_by_mayor"])


def backward(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="municipalities", codename="sign_college_decisions").update(
        codename="approve_college_decisions", name="Can approve the college decisions of the municipality"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0005_substitutes_and_portfolios"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, backward)]
