"""Coordination between IMDi and Husbanken ("samordning"): office pairs, the coordination forms of
Table 5.2 with their degree, agreements and activity plans with their annual wheel, dated events,
the coordination ladder, municipal programmes, and the joint municipal report.

Every seeded row names its source (report line numbers). Rows entered in the system name the user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficePair(models.Model):
    """A pair of regional offices, one IMDi and one Husbanken ("regionkontorpar", a row of Table 5.2)."""

    region = models.CharField(
        max_length=10, help_text=_("Region as printed in Table 5.2: øst, sør, vest, midt, nord.")
    )
    imdi_office = models.ForeignKey(
        "geo.RegionalOffice", on_delete=models.PROTECT, related_name="pairs_as_imdi"
    )
    husbanken_office = models.ForeignKey(
        "geo.RegionalOffice", on_delete=models.PROTECT, related_name="pairs_as_husbanken"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Row order in Table 5.2."))
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["imdi_office", "husbanken_office"], name="office_pair_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.husbanken_office.name} – {self.imdi_office.name}"

    @property
    def slug(self) -> str:
        return f"{self.husbanken_office.code}--{self.imdi_office.code}"


class CoordinationForm(models.TextChoices):
    """The eight coordination forms, the columns of Table 5.2 ("samarbeidsformer", L2481–2532)."""

    FORMAL_AGREEMENT = "formal_agreement", _("Formell samarbeidsavtale")
    JOINT_ACTIVITY_PLAN = "joint_activity_plan", _("Felles aktivitetsplan")
    DIRECTOR_MEETINGS = "director_meetings", _("Møter på regionsdirektørnivå")
    PROGRAMME_DIALOGUE = "programme_dialogue", _("Samarbeid/dialog om regionale kommunesatsinger")
    EACH_OTHERS_ARENAS = "each_others_arenas", _("Deltar på hverandres arenaer")
    JOINT_MUNICIPALITY_MEETINGS = "joint_municipality_meetings", _("Møter enkeltkommuner sammen")
    SHARING_EXAMPLES = "sharing_examples", _("Deler gode eksempler, informasjon og statistikk")
    INFORMAL_CONTACT = "informal_contact", _("Uformelt samarbeid og dialog")


FORM_ORDER = list(CoordinationForm.values)


class Degree(models.TextChoices):
    """The report's scale ("grad"). The authors' interpretation of interviews (L2476–2477)."""

    NONE = "none", _("Ikke")
    SMALL = "small", _("I liten grad")
    SOME = "some", _("I noen grad")
    LARGE = "large", _("I stor grad")
    HIGH = "high", _("I høy grad")


DEGREE_RANK = {Degree.NONE: 0, Degree.SMALL: 1, Degree.SOME: 2, Degree.LARGE: 3, Degree.HIGH: 4}


class CoordinationAssessment(models.Model):
    """How far an office pair uses one coordination form on a date ("vurdering", a cell of Table 5.2).

    The report prints either a yes/no ("Ja"/"Nei"), a degree ("I noen grad"), or both
    ("Ja, men i liten grad"); ``present`` and ``degree`` keep exactly what was printed (empty = not
    said), and ``printed_value`` keeps the words. Later assessments are new rows with a later date.
    """

    pair = models.ForeignKey(OfficePair, on_delete=models.CASCADE, related_name="assessments")
    form = models.CharField(max_length=40, choices=CoordinationForm.choices)
    present = models.BooleanField(null=True, blank=True, help_text=_("Ja/Nei; empty: not said."))
    degree = models.CharField(max_length=10, choices=Degree.choices, blank=True)
    printed_value = models.CharField(max_length=60, blank=True)
    footnote = models.CharField(max_length=300, blank=True)
    as_of = models.DateField()
    source = models.CharField(max_length=200)
    seed_key = models.CharField(max_length=80, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pair", "form", "-as_of", "-pk"]

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_form_display()} = {self.label}"

    @property
    def label(self) -> str:
        if self.printed_value:
            return self.printed_value
        parts = []
        if self.present is not None:
            parts.append(str(_("Ja")) if self.present else str(_("Nei")))
        if self.degree:
            parts.append(str(self.get_degree_display()))
        return ", ".join(parts) or "–"

    @property
    def strength(self) -> int:
        """0–4, for shading: a plain "Ja" counts as some degree, "Nei" as none."""
        if self.degree:
            return DEGREE_RANK[Degree(self.degree)]
        if self.present is True:
            return 2
        return 0


class Agreement(models.Model):
    """A formal cooperation agreement or a joint activity plan of an office pair, with its period
    ("samarbeidsavtale", "felles aktivitetsplan / handlingsplan")."""

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Samarbeidsavtale")
        ACTIVITY_PLAN = "activity_plan", _("Aktivitetsplan/handlingsplan")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Gjeldende")
        EXPIRED = "expired", _("Utløpt")
        IN_PREPARATION = "in_preparation", _("Under arbeid")

    pair = models.ForeignKey(OfficePair, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    title = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True, help_text=_("Empty: not in the data."))
    valid_to = models.DateField(null=True, blank=True, help_text=_("Empty: not in the data."))
    period_note = models.CharField(max_length=200, blank=True)
    content = models.TextField(blank=True)
    source = models.CharField(max_length=200)
    seed_key = models.CharField(max_length=80, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["pair", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class WheelItem(models.Model):
    """A recurring activity in an activity plan's annual wheel ("årshjul")."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="wheel")
    title = models.CharField(max_length=200)
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("1–12; empty: the report gives no month.")
    )
    times_per_year = models.CharField(max_length=20, blank=True, help_text=_("E.g. '2', '2–3'."))
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["agreement", "month", "pk"]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    """Kinds of dated coordination entries."""

    AGREEMENT = "agreement", _("Avtale")
    DIRECTOR_MEETING = "director_meeting", _("Direktørmøte")
    MEETING = "meeting", _("Samarbeidsmøte")
    CONFERENCE = "conference", _("Konferanse/seminar")
    NETWORK = "network", _("Nettverkssamling")
    MUNICIPALITY_MEETING = "municipality_meeting", _("Felles kommunemøte")
    FORUM = "forum", _("Forum")
    PROJECT = "project", _("Felles prosjekt")
    EXCHANGE = "exchange", _("Deling av eksempler og statistikk")
    PILOT = "pilot", _("Forsøk")
    OTHER = "other", _("Annet")


class CoordinationEvent(models.Model):
    """A dated entry in an office pair's coordination timeline ("samordningstiltak")."""

    pair = models.ForeignKey(
        OfficePair, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    offices = models.ManyToManyField(
        "geo.RegionalOffice", blank=True, related_name="coordination_events"
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    form = models.CharField(max_length=40, choices=CoordinationForm.choices, blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    when_text = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("The date as the source gives it, e.g. 'høsten 2013'."),
    )
    times_per_year = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=200)
    seed_key = models.CharField(max_length=80, blank=True, db_index=True)
    synthetic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.title


class LadderLevel(models.IntegerChoices):
    """The coordination ladder ("samordningstrappen", Hanssen, Hovik & Hundere 2014; L3209–3217)."""

    SHARE = 1, _("1 Dele informasjon, erfaringer og kunnskap")
    COMMON_UNDERSTANDING = 2, _("2 Felles verdensanskuelse og problemforståelse")
    CHANGE_PRACTICE = 3, _("3 Endret atferd og praksis i egen sektor")
    JOINT_MEASURES = 4, _("4 Felles tiltak på tvers av sektorer og nivåer")


class LadderAssessment(models.Model):
    """An office pair's step on the coordination ladder on a date ("trinn i samordningstrappen").

    ``lower_bound`` marks a level the source only supports as a minimum."""

    pair = models.ForeignKey(OfficePair, on_delete=models.CASCADE, related_name="ladder")
    level = models.PositiveSmallIntegerField(choices=LadderLevel.choices)
    lower_bound = models.BooleanField(default=False)
    as_of = models.DateField()
    note = models.TextField(blank=True)
    source = models.CharField(max_length=200)
    seed_key = models.CharField(max_length=80, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["pair", "-as_of", "-pk"]


class Programme(models.Model):
    """A municipal programme of one agency ("kommunesatsing"): IMDi's municipal partnerships (K+,
    Includio 15, …) and Husbanken's housing-social development programmes.

    The report gives counts per region, rarely names: ``municipality_count`` is the printed count;
    linked members are only those named by a source (or clearly labelled synthetic ones)."""

    class Kind(models.TextChoices):
        IMDI_PARTNERSHIP = "imdi_partnership", _("IMDi kommunesamarbeid")
        HUSBANKEN_DEVELOPMENT = "husbanken_development", _("Husbanken boligsosialt program")
        HUSBANKEN_TARGET_GROUP = "husbanken_target_group", _("Husbanken målgruppesatsing")
        HUSBANKEN_FOCUS = "husbanken_focus", _("Husbanken fokuskommuner")

    office = models.ForeignKey(
        "geo.RegionalOffice", on_delete=models.PROTECT, related_name="programmes"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(max_length=200)
    municipality_count = models.PositiveSmallIntegerField(null=True, blank=True)
    count_text = models.CharField(
        max_length=60, blank=True, help_text=_("The count as printed, e.g. '3–5'.")
    )
    status_note = models.CharField(max_length=300, blank=True)
    overlap_note = models.CharField(max_length=300, blank=True)
    as_of = models.DateField()
    source = models.CharField(max_length=200)
    seed_key = models.CharField(max_length=80, blank=True, db_index=True)
    members = models.ManyToManyField(
        "geo.Municipality", through="ProgrammeMembership", related_name="programmes", blank=True
    )

    class Meta:
        ordering = ["office__agency", "office__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.office.name})"


class ProgrammeMembership(models.Model):
    """A municipality named as a member of a programme ("satsingskommune")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT)
    source = models.CharField(max_length=200)
    synthetic = models.BooleanField(default=False, help_text=_("Made up for the demo world."))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"], name="programme_member_unique"
            )
        ]


class JointReport(models.Model):
    """One yearly report from a municipality to both agencies ("felles kommunerapportering").

    The answers feed IMDi's and Husbanken's views of the municipality alike, instead of two forms
    (report L3069–3070, L3288–3289: less reporting, one point of contact)."""

    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="joint_reports"
    )
    year = models.PositiveSmallIntegerField()
    # Settlement and integration (IMDi's side)
    settled_persons = models.PositiveIntegerField(help_text=_("Bosatte personer i året."))
    family_reunified_persons = models.PositiveIntegerField(default=0)
    planned_settlement_next_year = models.PositiveIntegerField(null=True, blank=True)
    introduction_participants = models.PositiveIntegerField(null=True, blank=True)
    # Housing (Husbanken's side)
    municipal_dwellings_total = models.PositiveIntegerField(null=True, blank=True)
    dwellings_for_refugees = models.PositiveIntegerField(null=True, blank=True)
    dwellings_needed_next_year = models.PositiveIntegerField(null=True, blank=True)
    start_loans_to_refugees = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Startlån innvilget til flyktninger.")
    )
    settlement_in_housing_plan = models.BooleanField(
        default=False, help_text=_("Bosetting er med i boligsosial handlingsplan.")
    )
    # Both
    challenges = models.TextField(blank=True)
    help_wanted = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="joint_report_unique")
        ]

    def __str__(self) -> str:
        return f"Felles rapport {self.municipality} {self.year}"
