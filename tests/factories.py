import datetime
from itertools import count

import factory
from django.contrib.auth import get_user_model

from governance.models import ConsultationBody, Cooperation, Membership, Participation, RegionalTask
from municipalities.models import Municipality, Office, Person, Portfolio, RegionalOrganisation

_cbs = count(1000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.LazyFunction(lambda: f"GM{next(_cbs) % 10000:04d}")


class RegionalOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalOrganisation

    name = factory.Sequence(lambda n: f"Veiligheidsregio {n}")


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Beleidsterrein {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Voornaam{n}")
    surname = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")

    class Params:
        with_login = factory.Trait(user=factory.SubFactory(UserFactory))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    role = Office.Role.MUNICIPAL_SECRETARY
    municipality = factory.SubFactory(MunicipalityFactory)
    starts_on = datetime.date(2020, 1, 1)

    class Params:
        coordinator = factory.Trait(
            role=Office.Role.REGIONAL_COORDINATOR,
            municipality=None,
            organisation=factory.SubFactory(RegionalOrganisationFactory),
        )
        ended = factory.Trait(starts_on=datetime.date(2018, 1, 1), ends_on=datetime.date(2019, 12, 31))

    @factory.post_generation
    def portfolios(self, create, extracted, **kwargs):
        if create and extracted:
            self.portfolios.set(extracted)


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperation

    name = factory.Sequence(lambda n: f"Samenwerking {n}")
    kind = Cooperation.Kind.COVENANT


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    cooperation = factory.SubFactory(CooperationFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    joined_on = datetime.date(2021, 1, 1)


class ConsultationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationBody

    name = factory.Sequence(lambda n: f"Overleg {n}")
    kind = ConsultationBody.Kind.SECRETARIES
    cooperation = factory.SubFactory(CooperationFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(ConsultationBodyFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    starts_on = datetime.date(2021, 1, 1)


class RegionalTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalTask

    cooperation = factory.SubFactory(CooperationFactory)
    name = factory.Sequence(lambda n: f"Hoofdopgave {n}")
    lead_body = factory.SubFactory(ConsultationBodyFactory, cooperation=factory.SelfAttribute("..cooperation"))
