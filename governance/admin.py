from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from governance.models import (
    ConsultationBody,
    Cooperation,
    EvaluationAdjustment,
    Membership,
    MonthlyEvaluation,
    Participation,
    RegionalTask,
)
from municipalities.admin import CurrentFilter
from municipalities.models import today


class NoticeForm(forms.ModelForm):
    """A participation whose newly recorded notice ends memberships is refused once, listing them,
    and saved only with the box ticked; the admin then ends them (Participation.end_memberships)."""

    confirm_ending_memberships = forms.BooleanField(
        label=capfirst(_("confirm ending these memberships")),
        required=False,
        help_text=_("Needed only when the notice ends memberships; they are listed when you save."),
    )

    def clean(self):
        cleaned = super().clean()
        self.memberships_to_end = []
        if "notice_given_on" not in self.changed_data or not cleaned.get("notice_given_on"):
            return cleaned
        cooperation, municipality = cleaned.get("cooperation"), cleaned.get("municipality")
        notice = Participation(
            cooperation_id=cooperation.pk if cooperation else self.instance.cooperation_id,
            municipality_id=municipality.pk if municipality else self.instance.municipality_id,
            notice_given_on=cleaned["notice_given_on"],
        )
        if not (notice.cooperation_id and notice.municipality_id):
            return cleaned
        notice.compute_withdrawal()
        ending = list(notice.memberships_ending())
        if ending and not cleaned.get("confirm_ending_memberships"):
            names = {
                "municipality": notice.municipality,
                "cooperation": notice.cooperation,
                "date": date_format(notice.last_day),
            }
            intro = gettext(
                "This notice ends the memberships below on %(date)s, the last day of %(municipality)s in "
                "%(cooperation)s. Tick 'confirm ending these memberships' and save again to end them."
            )
            lines = [
                gettext("%(person)s (%(role)s), %(body)s: ends on %(date)s")
                % {"person": m.person, "role": m.get_role_display(), "body": m.body, "date": names["date"]}
                for m in ending
            ]
            raise ValidationError([intro % names, *lines])
        self.memberships_to_end = ending
        return cleaned


def end_confirmed_memberships(request: HttpRequest, form: NoticeForm) -> None:
    if not getattr(form, "memberships_to_end", None):
        return
    participation = form.instance
    ended = participation.end_memberships(by=request.user)
    messages.success(
        request,
        gettext("Ended on %(date)s: %(memberships)s.")
        % {
            "date": date_format(participation.last_day),
            "memberships": "; ".join(f"{m.person} ({m.body})" for m in ended),
        },
    )


class ParticipationFormSet(BaseInlineFormSet):
    """Catches two new participations of one municipality that overlap each
    other; overlaps with saved rows are the model's own `clean()`."""

    def clean(self) -> None:
        super().clean()
        periods: dict[int, list[Participation]] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            participation = form.instance
            if not (participation.municipality_id and participation.joined_on):
                continue
            participation.compute_withdrawal()
            for other in periods.setdefault(participation.municipality_id, []):
                if self._overlap(participation, other):
                    raise ValidationError(other.overlap_message())
            periods[participation.municipality_id].append(participation)

    @staticmethod
    def _overlap(a: Participation, b: Participation) -> bool:
        return (a.leaves_on is None or a.leaves_on > b.joined_on) and (b.leaves_on is None or b.leaves_on > a.joined_on)


class ParticipationInline(admin.TabularInline):
    model = Participation
    form = NoticeForm
    formset = ParticipationFormSet
    extra = 0
    fields = [
        "municipality",
        "joined_on",
        "notice_given_on",
        "leaves_on",
        "obligations_until",
        "confirm_ending_memberships",
    ]
    readonly_fields = ["leaves_on", "obligations_until"]
    autocomplete_fields = ["municipality"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality", "cooperation")


@admin.register(Cooperation)
class CooperationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "organisation", "starts_on"]
    list_select_related = ["organisation"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["organisation"]
    inlines = [ParticipationInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for participation_form in formset.forms:
            if isinstance(participation_form, NoticeForm) and not formset._should_delete_form(participation_form):
                end_confirmed_memberships(request, participation_form)


class ParticipationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("participates today")), ("leaving", _("notice given")), ("left", _("has left"))]

    def queryset(self, request, queryset):
        on = today()
        if self.value() == "active":
            return queryset.active_on(on)
        if self.value() == "leaving":
            return queryset.filter(notice_given_on__isnull=False, leaves_on__gt=on)
        if self.value() == "left":
            return queryset.filter(leaves_on__lte=on)
        return queryset


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "cooperation", "joined_on", "notice_given_on", "leaves_on", "obligations_until"]
    list_select_related = ["municipality", "cooperation"]
    list_filter = [ParticipationStatusFilter, "cooperation", "municipality"]
    search_fields = ["municipality__name", "cooperation__name"]
    readonly_fields = ["leaves_on", "obligations_until"]
    autocomplete_fields = ["municipality", "cooperation"]
    form = NoticeForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        end_confirmed_memberships(request, form)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["person", "role", "on_behalf_of", "starts_on", "ends_on"]
    autocomplete_fields = ["person", "on_behalf_of"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "on_behalf_of", "body__cooperation")


@admin.register(ConsultationBody)
class ConsultationBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "cooperation", "policy_area", "prepares", "frequency", "is_active"]
    list_select_related = ["cooperation", "policy_area", "prepares"]
    list_filter = ["kind", "cooperation", "is_active"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["cooperation", "policy_area", "prepares", "also_joins"]
    inlines = [MembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "article",
                    "abbreviation",
                    "kind",
                    "cooperation",
                    "also_joins",
                    "policy_area",
                    "prepares",
                    "is_active",
                ]
            },
        ),
        (
            _("Cadence and deadlines"),
            {
                "fields": [
                    "frequency",
                    "weekday",
                    "week_of_month",
                    "usual_start_time",
                    "usual_location",
                    "agenda_deadline_days",
                    "documents_deadline_days",
                ]
            },
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "role", "on_behalf_of", "starts_on", "ends_on"]
    list_select_related = ["person", "body", "on_behalf_of"]
    list_filter = [CurrentFilter, "role", "body", "on_behalf_of"]
    search_fields = ["person__given_name", "person__surname", "body__name"]
    autocomplete_fields = ["person", "body", "on_behalf_of"]


@admin.register(RegionalTask)
class RegionalTaskAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cooperation", "lead_body", "position"]
    list_select_related = ["cooperation", "lead_body"]
    list_filter = ["cooperation"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["cooperation", "lead_body"]


class AdjustmentInline(admin.TabularInline):
    model = EvaluationAdjustment
    extra = 1
    autocomplete_fields = ["body"]


@admin.register(MonthlyEvaluation)
class MonthlyEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["cooperation", "month", "agenda_item"]
    list_filter = ["cooperation", "month"]
    list_select_related = ["cooperation", "agenda_item__meeting__body"]
    inlines = [AdjustmentInline]
    readonly_fields = ["agenda_item"]
