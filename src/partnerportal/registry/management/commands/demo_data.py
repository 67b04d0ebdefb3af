"""Demo data for trying the portal out: the site structure, the municipalities the agency's pages
name, and one login per role. Safe to run again: it only adds what is missing and resets the demo
passwords."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerportal.accounts.models import Membership, User
from partnerportal.accounts.roles import Role
from partnerportal.audit.services import attribute_change
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import Municipality

DEMO_PASSWORD = "partnerportal-demo"  # noqa: S105 - demo only, printed on purpose
DEMO_DOMAIN = "demo.partnerportal.invalid"

#: DEMO ONLY. One fixed TOTP secret shared by all demo staff logins so that the demo can be used
#: without a phone (`partnerportal demo_totp` prints the current code). Never use outside a demo.
DEMO_TOTP_SECRET = "PARTNERPORTALDEMOONLYXXXXXXXXXXX"  # noqa: S105

Kind = Municipality.Kind

GERMAN_MUNICIPALITIES = [
    # name, AGS, kind
    ("Köln", "05315000", Kind.KREISFREIE_STADT),
    ("Pfinztal", "08215110", Kind.GEMEINDE),
    ("Leipzig", "14713000", Kind.KREISFREIE_STADT),
    ("Hildesheim", "03254021", Kind.GEMEINDE),
    ("Sindelfingen", "08115045", Kind.GEMEINDE),
    ("Kißlegg", "08436052", Kind.GEMEINDE),
    ("Hamburg", "02000000", Kind.KREISFREIE_STADT),
    ("Nürnberg", "09564000", Kind.KREISFREIE_STADT),
    ("Witten", "05954036", Kind.GEMEINDE),
    ("Enzkreis", "08236000", Kind.KREIS),
]

FOREIGN_MUNICIPALITIES = [
    ("Yarinacocha", "PE"),
    ("Kidira", "SN"),
    ("Kyjiw", "UA"),
    ("Padang", "ID"),
    ("Annaba", "DZ"),
    ("Rachiine", "LB"),
]

# local part, name, role group (or None), municipality name (for municipal editors), staff?
DEMO_USERS = [
    ("admin", "Demo Administration", Role.AGENCY_ADMIN, None),
    ("redaktion", "Demo Redaktion", Role.AGENCY_EDITOR, None),
    ("gutachter", "Demo Gutachten", Role.REVIEWER, None),
    ("fachkraft", "Demo Fachkraft", Role.EXPERT, None),
    ("koeln", "Demo Redaktion Köln", None, "Köln"),
    ("pfinztal", "Demo Redaktion Pfinztal", None, "Pfinztal"),
    ("person", "Demo Person", None, None),
]

STAFF_WITH_TOTP = {Role.AGENCY_ADMIN, Role.AGENCY_EDITOR, Role.REVIEWER}


class Command(BaseCommand):
    help = "Create demo municipalities and one login per role (idempotent; demo only)."

    def step(self, text: str) -> None:
        self.stdout.write(f"→ {text} …")

    def handle(self, *args, **options):
        from partnerportal.content.services import site_structure_ensure

        self.step("Site structure (home page, legal pages)")
        site_structure_ensure()

        with transaction.atomic():
            self.step("Municipalities")
            created = self._municipalities()
            total = len(GERMAN_MUNICIPALITIES) + len(FOREIGN_MUNICIPALITIES)
            self.stdout.write(f"  {created} created, {total} in all")

            self.step("Demo logins")
            rows = [self._user(*spec) for spec in DEMO_USERS]

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Password for every login: {DEMO_PASSWORD}")
        self.stdout.write(
            self.style.WARNING(
                f"DEMO ONLY: staff logins share the TOTP secret {DEMO_TOTP_SECRET}; "
                "`partnerportal demo_totp` prints the current code."
            )
        )
        self.stdout.write("")
        widths = [
            max(len(r[i]) for r in [*rows, ("E-mail", "Role", "Municipality", "TOTP")])
            for i in range(4)
        ]
        header = ("E-mail", "Role", "Municipality", "TOTP")
        line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
        self.stdout.write(line)
        self.stdout.write("-" * len(line))
        for row in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))

    def _municipalities(self) -> int:
        created = 0
        for name, ags, kind in GERMAN_MUNICIPALITIES:
            _obj, was_created = Municipality.objects.get_or_create(
                ags=ags, defaults={"name": name, "country": country_ensure("DE"), "kind": kind}
            )
            created += was_created
        for name, country in FOREIGN_MUNICIPALITIES:
            _obj, was_created = Municipality.objects.get_or_create(
                name=name,
                country=country_ensure(country),
                defaults={"kind": Kind.FOREIGN, "ags": None},
            )
            created += was_created
        return created

    def _user(
        self, local: str, name: str, role: str | None, municipality_name: str | None
    ) -> tuple:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, name=name, language="de")
        user.name = user.name or name
        user.is_active = True
        if role == Role.AGENCY_ADMIN:
            user.is_staff = True
            user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        label = str(Role(role).label) if role else str(Role.REGISTERED.label)
        if municipality_name:
            municipality = Municipality.objects.get(name=municipality_name, country_id="DE")
            membership, _created = Membership.objects.get_or_create(
                user=user, municipality=municipality, defaults={"status": Membership.Status.ACTIVE}
            )
            if membership.status != Membership.Status.ACTIVE:
                membership.status = Membership.Status.ACTIVE
                attribute_change(membership, actor=None, action="membership.confirmed")
                membership.save()
            label = str(Role.MUNICIPAL_EDITOR.label)
        totp = "-"
        if role in STAFF_WITH_TOTP:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
            totp = "demo secret"
        return (email, label, municipality_name or "-", totp)
