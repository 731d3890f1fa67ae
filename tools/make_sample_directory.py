"""Write data/directory.sample.json: the bundled, fictional Brent directory, in HSDS 3.0.

Every service here is invented. Telephone numbers come only from Ofcom's drama range
(020 7946 0000 to 020 7946 0999), web and email addresses are at example.org, and each
service carries the sample-data marker so the app can say on screen that it is fictional.

The file is generated through hub.formats' own exporter, so it is always valid
HSDS 3.0 and reads back into exactly these services. Run it again after editing:

    .venv/bin/python tools/make_sample_directory.py
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hub.formats.common import HUB_NAMESPACE  # noqa: E402
from hub.formats.hsds3 import hsds3_page  # noqa: E402
from hub.formats.jsonio import dumps  # noqa: E402
from hub.models import (  # noqa: E402
    Attendance,
    Contact,
    Cost,
    Eligibility,
    Freq,
    Location,
    Phone,
    Schedule,
    Service,
    Status,
)

OUTPUT = REPO / "data" / "directory.sample.json"


@dataclass(frozen=True)
class Venue:
    """A fictional place where services meet."""

    name: str
    lines: tuple[str, ...]
    postcode: str
    lat: float
    lon: float
    access: str
    step_free: bool | None
    hearing_loop: bool | None


VENUES: dict[str, Venue] = {
    "church-end-centre": Venue(
        "Church End Community Centre",
        ("14 Church Road",),
        "NW10 9NP",
        51.5479,
        -0.2511,
        "Step-free entrance from Church Road. Accessible toilet on the ground floor.",
        True,
        True,
    ),
    "church-end-library": Venue(
        "Church End Library",
        ("2 Neasden Lane North",),
        "NW10 9RL",
        51.5497,
        -0.2473,
        "Level access. Lift to the first-floor study room. Hearing loop at the desk.",
        True,
        True,
    ),
    "st-aidans": Venue(
        "St Aidan's Church Hall",
        ("St Aidan's Church", "31 Chapel Close"),
        "NW10 9QD",
        51.5461,
        -0.2538,
        "Two steps at the front; a ramp is available at the side door on request.",
        False,
        None,
    ),
    "alperton-hub": Venue(
        "Alperton Community Hub",
        ("88 Ealing Road",),
        "HA0 4TL",
        51.5408,
        -0.2966,
        "Step-free throughout. Accessible toilet and baby change.",
        True,
        False,
    ),
    "alperton-gurdwara": Venue(
        "Alperton Singh Sabha Gurdwara",
        ("5 Carlyon Avenue",),
        "HA0 1HS",
        51.5433,
        -0.2921,
        "Level access to the langar hall. Please cover your head and remove your shoes; "
        "head coverings are provided.",
        True,
        None,
    ),
    "canal-basin": Venue(
        "Alperton Canal Basin",
        ("Meeting point by the footbridge", "Manor Farm Road"),
        "HA0 1BN",
        51.5392,
        -0.2989,
        "Towpath is flat and firm but narrow in places.",
        True,
        None,
    ),
    "harlesden-centre": Venue(
        "Harlesden Neighbourhood Centre",
        ("120 High Street",),
        "NW10 4SL",
        51.5363,
        -0.2476,
        "Ground floor rooms are step-free. Hearing loop in the main hall.",
        True,
        True,
    ),
    "harlesden-garden": Venue(
        "Tavistock Road Community Garden",
        ("Behind 40 Tavistock Road",),
        "NW10 4NB",
        51.5381,
        -0.2447,
        "Wide paths and raised beds reachable from a wheelchair.",
        True,
        None,
    ),
    "al-noor": Venue(
        "Al-Noor Community Centre",
        ("7 Manor Park Road",),
        "NW10 4JJ",
        51.5347,
        -0.2501,
        "Step-free entrance. Separate accessible toilet.",
        True,
        False,
    ),
    "wembley-library": Venue(
        "Wembley Library",
        ("Ground floor, Civic Square", "Engineers Way"),
        "HA9 0FJ",
        51.5586,
        -0.2818,
        "Step-free throughout with lifts. Hearing loops at every desk.",
        True,
        True,
    ),
    "wembley-temple": Venue(
        "Shree Ram Mandir Community Hall",
        ("22 Ealing Road",),
        "HA0 4XA",
        51.5452,
        -0.2935,
        "Ramp to the hall entrance. Chairs available for anyone who cannot sit on the floor.",
        True,
        None,
    ),
    "wembley-high-road": Venue(
        "Wembley Advice Centre",
        ("301 High Road",),
        "HA9 6AG",
        51.5523,
        -0.2963,
        "First floor with a lift. Tell reception if you need a ground-floor room.",
        True,
        True,
    ),
    "kilburn-library": Venue(
        "Kilburn Library",
        ("Salusbury Road",),
        "NW6 6RG",
        51.5352,
        -0.2036,
        "Step-free entrance on Salusbury Road. Hearing loop at the counter.",
        True,
        True,
    ),
    "kilburn-hall": Venue(
        "Kilburn Square Community Room",
        ("Kilburn Square estate", "Victoria Road"),
        "NW6 6PT",
        51.5423,
        -0.1958,
        "Steps to the entrance; no lift.",
        False,
        False,
    ),
    "willesden-office": Venue(
        "Brent Voluntary Action Hub",
        ("Unit 4, Dudden Hill Business Centre", "Dudden Hill Lane"),
        "NW2 7RX",
        51.5551,
        -0.2380,
        "Step-free. Parking bay for blue badge holders.",
        True,
        True,
    ),
}


def weekly(
    byday: str,
    opens: str,
    closes: str,
    *,
    interval: int = 1,
    dtstart: date | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str | None = None,
) -> Schedule:
    """Return a weekly (or every-`interval`-weeks) schedule."""
    return Schedule(
        freq=Freq.WEEKLY,
        interval=interval,
        byday=byday,
        opens_at=time.fromisoformat(opens),
        closes_at=time.fromisoformat(closes),
        dtstart=dtstart,
        valid_from=valid_from,
        valid_to=valid_to,
        description=note,
    )


def fortnightly(byday: str, opens: str, closes: str, first: date) -> Schedule:
    """Return an every-other-week schedule anchored on its first session."""
    return weekly(byday, opens, closes, interval=2, dtstart=first, note="Every other week")


def monthly(byday: str, opens: str, closes: str, note: str | None = None) -> Schedule:
    """Return a monthly schedule such as "2TU" (second Tuesday) or "-1FR" (last Friday)."""
    return Schedule(
        freq=Freq.MONTHLY,
        byday=byday,
        opens_at=time.fromisoformat(opens),
        closes_at=time.fromisoformat(closes),
        description=note,
    )


def words(text: str) -> Schedule:
    """Return a schedule that is only a description ("Phone to arrange a time")."""
    return Schedule(description=text)


def att(*flags: str, in_person: bool = True) -> Attendance:
    """Return attendance flags from names such as "drop_in", "booking", "phone"."""
    values: dict[str, Any] = {flag: True for flag in flags}
    values["in_person"] = in_person
    return Attendance(**values)


FREE = Cost(free=True, description="Free")
_phone_numbers: set[str] = set()


def phone(last3: int, description: str | None = None) -> Phone:
    """Return a drama-range number 020 7946 0NNN (never a real line)."""
    number = f"020 7946 0{last3:03d}"
    if number in _phone_numbers:
        raise SystemExit(f"phone number {number} used twice")
    _phone_numbers.add(number)
    return Phone(number=number, description=description)


def location(venue_key: str) -> Location:
    """Return the Location for one of VENUES."""
    venue = VENUES[venue_key]
    return Location(
        id=str(uuid.uuid5(HUB_NAMESPACE, f"sample-location/{venue_key}")),
        name=venue.name,
        address_lines=list(venue.lines),
        town="London",
        postcode=venue.postcode,
        latitude=venue.lat,
        longitude=venue.lon,
        accessibility=venue.access,
        step_free=venue.step_free,
        hearing_loop=venue.hearing_loop,
    )


def service(
    slug: str,
    name: str,
    organisation: str,
    description: str,
    *,
    needs: list[str],
    keywords: list[str],
    areas: list[str],
    venues: list[str],
    phones: list[Phone],
    schedules: list[Schedule],
    attendance: Attendance,
    cost: Cost = FREE,
    eligibility: Eligibility | None = None,
    languages: tuple[str, ...] = ("English",),
    assured: date = date(2026, 10, 1),
    status: Status = Status.ACTIVE,
    email: bool = True,
) -> Service:
    """Return one sample Service with its stable id, contact details and dates."""
    site = slug.replace("_", "-")
    return Service(
        id=str(uuid.uuid5(HUB_NAMESPACE, f"sample-service/{slug}")),
        name=name,
        organisation=organisation,
        description=description,
        needs=needs,
        keywords=keywords,
        areas=areas,
        locations=[location(key) for key in venues],
        contact=Contact(
            phones=phones,
            email=f"{site}@example.org" if email else None,
            website=f"https://{site}.example.org/",
        ),
        schedules=schedules,
        attendance=attendance,
        cost=cost,
        eligibility=eligibility or Eligibility(),
        languages=list(languages),
        status=status,
        assured_date=assured,
        last_modified=datetime.combine(assured, time(9, 30), tzinfo=UTC),
    )


def services() -> list[Service]:
    """Return every sample service."""
    d = date
    return [
        service(
            "church-end-memory-cafe",
            "Church End Memory Café",
            "Church End Community Centre",
            "A friendly café for people with dementia or memory worries, and the people who "
            "care for them. Tea, cake, music and gentle things to do. A dementia support "
            "worker is there to talk to. You do not need to have seen a doctor about it to "
            "come.",
            needs=["memory", "carers", "older-people", "loneliness"],
            keywords=["dementia café", "memory loss", "alzheimer's", "singing", "tea and cake"],
            areas=["Church End"],
            venues=["church-end-centre"],
            phones=[phone(101, "Café organiser")],
            schedules=[monthly("2TU", "14:00", "16:00", "Second Tuesday of every month")],
            attendance=att("drop_in"),
            languages=("English", "Gujarati"),
            assured=d(2026, 10, 14),
        ),
        service(
            "wembley-singing-for-memory",
            "Wembley Singing for Memory",
            "Brent Memory Friends",
            "A singing group for people with dementia and their carers. We sing songs "
            "everyone knows, with warm-up exercises and a cup of tea afterwards. Please "
            "phone first so we can welcome you properly.",
            needs=["memory", "carers", "activities"],
            keywords=["dementia", "singing for the brain", "music", "choir"],
            areas=["Wembley"],
            venues=["wembley-library"],
            phones=[phone(102)],
            schedules=[weekly("TH", "10:30", "12:00")],
            attendance=att("booking"),
            assured=d(2026, 9, 3),
        ),
        service(
            "alperton-dementia-carers-circle",
            "Alperton Dementia Carers' Circle",
            "Brent Memory Friends",
            "A support group for people caring for someone with dementia. Share what works, "
            "hear from visiting speakers about benefits and care, and have an hour for "
            "yourself. Meets every other Thursday.",
            needs=["carers", "memory"],
            keywords=["dementia carers", "support group", "respite"],
            areas=["Alperton"],
            venues=["alperton-hub"],
            phones=[phone(103)],
            schedules=[fortnightly("TH", "13:30", "15:00", d(2026, 1, 8))],
            attendance=att("drop_in"),
            languages=("English", "Gujarati", "Tamil"),
            assured=d(2026, 8, 20),
        ),
        service(
            "tavistock-road-community-garden",
            "Tavistock Road Community Garden",
            "Harlesden Growing Together",
            "A community garden where neighbours grow vegetables, herbs and flowers "
            "together. No experience needed; tools, gloves and tea provided. Take home "
            "some of what you grow.",
            needs=["activities", "health", "loneliness"],
            keywords=["gardening", "allotment", "outdoors", "growing food", "green space"],
            areas=["Harlesden"],
            venues=["harlesden-garden"],
            phones=[phone(104)],
            schedules=[weekly("WE", "10:00", "13:00"), weekly("SA", "10:00", "13:00")],
            attendance=att("drop_in"),
            assured=d(2026, 7, 2),
        ),
        service(
            "brent-mental-health-first-aid",
            "Mental Health First Aid Courses",
            "Brent Voluntary Action",
            "Two-day courses that teach you to spot the signs that someone's mental health is"
            " bad, and to help someone in crisis. You get a paper to show you did the course."
            " Free for people who live or help out in Brent. You must book a place.",
            needs=["learning", "feeling-low"],
            keywords=["MHFA", "training", "course", "certificate", "mental health awareness"],
            areas=["Borough-wide"],
            venues=["willesden-office"],
            phones=[phone(105, "Training team")],
            schedules=[
                monthly("3WE", "09:30", "16:30", "Third Wednesday and Thursday of each month")
            ],
            attendance=att("booking", "online"),
            eligibility=Eligibility(
                description="Adults who live, work or volunteer in Brent", minimum_age=18
            ),
            assured=d(2026, 11, 2),
        ),
        service(
            "church-end-tra",
            "Church End Tenants' and Residents' Association",
            "Church End TRA",
            "The group for people who live on the Church End estates. They meet each month to"
            " talk about repairs, safety and local plans. There are fun days in summer. "
            "Anyone who lives there can come.",
            needs=["housing", "faith-community", "activities"],
            keywords=["TRA", "residents association", "repairs", "estate", "council housing"],
            areas=["Church End"],
            venues=["church-end-centre"],
            phones=[phone(106, "Secretary")],
            schedules=[monthly("1MO", "18:30", "20:00", "First Monday of the month")],
            attendance=att("drop_in"),
            assured=d(2026, 9, 8),
        ),
        service(
            "alperton-tra",
            "Alperton Tenants' and Residents' Association",
            "Alperton TRA",
            "People who rent or own a flat on the estate meet here. They sort out problems "
            "with the council and the housing association. Bring your repair worries.",
            needs=["housing"],
            keywords=["TRA", "residents meeting", "repairs", "damp and mould", "leaseholders"],
            areas=["Alperton"],
            venues=["alperton-hub"],
            phones=[phone(107)],
            schedules=[monthly("3TH", "19:00", "20:30", "Third Thursday of the month")],
            attendance=att("drop_in"),
            assured=d(2026, 6, 25),
        ),
        service(
            "kilburn-square-tra",
            "Kilburn Square Residents' Association",
            "Kilburn Square TRA",
            "The group for people who live in Kilburn Square. They meet each month. There is "
            "a coffee morning on Saturdays so neighbours can get to know each other.",
            needs=["housing", "loneliness"],
            keywords=["TRA", "residents association", "coffee morning", "estate"],
            areas=["Kilburn"],
            venues=["kilburn-hall"],
            phones=[phone(108)],
            schedules=[monthly("-1TU", "18:30", "20:00", "Last Tuesday of the month")],
            attendance=att("drop_in"),
            assured=d(2026, 2, 11),
        ),
        service(
            "alperton-gurdwara-langar",
            "Alperton Gurdwara Community Langar",
            "Alperton Singh Sabha Gurdwara",
            "A free hot meal with no meat, served every day to anyone who comes. You do not "
            "need to have a faith. Sit, eat and stay for a chat. Helpers are always welcome.",
            needs=["food", "faith-community", "loneliness"],
            keywords=["langar", "free meal", "sikh", "vegetarian", "community kitchen"],
            areas=["Alperton"],
            venues=["alperton-gurdwara"],
            phones=[phone(109)],
            schedules=[weekly("MO,TU,WE,TH,FR,SA,SU", "11:00", "15:00")],
            attendance=att("drop_in"),
            languages=("English", "Punjabi", "Hindi"),
            assured=d(2026, 10, 30),
        ),
        service(
            "al-noor-lunch-club",
            "Al-Noor Over-60s Lunch Club",
            "Al-Noor Community Centre",
            "A weekly lunch club for older neighbours at the mosque's community centre. A "
            "hot halal lunch for £2, then board games, chair exercise and chat. Everyone "
            "over 60 is welcome.",
            needs=["food", "older-people", "loneliness", "faith-community"],
            keywords=["lunch club", "mosque", "halal", "over 60s", "social"],
            areas=["Harlesden"],
            venues=["al-noor"],
            phones=[phone(110)],
            schedules=[weekly("TH", "12:00", "14:30")],
            attendance=att("drop_in"),
            cost=Cost(free=False, description="£2 for lunch"),
            eligibility=Eligibility(description="People aged 60 and over", minimum_age=60),
            languages=("English", "Arabic", "Somali", "Urdu"),
            assured=d(2026, 9, 17),
        ),
        service(
            "st-aidans-food-bank",
            "St Aidan's Church Food Bank",
            "St Aidan's Church, Church End",
            "A food bank that gives you food for three days if you are in crisis. Bring a "
            "food bank voucher from an adviser, your doctor or the council. If you have no "
            "voucher, come anyway and we will help you get one.",
            needs=["food", "money", "faith-community"],
            keywords=["food bank", "food parcel", "emergency food", "voucher", "church"],
            areas=["Church End"],
            venues=["st-aidans"],
            phones=[phone(111)],
            schedules=[weekly("MO,WE,FR", "10:00", "12:30")],
            attendance=att("drop_in", "referral_needed"),
            assured=d(2026, 11, 10),
        ),
        service(
            "shree-ram-mandir-seniors",
            "Shree Ram Mandir Seniors' Social and Lunch",
            "Shree Ram Mandir",
            "A social morning and vegetarian lunch for older people at the temple hall. "
            "Yoga on chairs, bhajans, health talks and a free meal. All faiths welcome.",
            needs=["older-people", "faith-community", "food", "loneliness"],
            keywords=["temple", "mandir", "hindu", "seniors", "vegetarian lunch", "yoga"],
            areas=["Alperton", "Wembley"],
            venues=["wembley-temple"],
            phones=[phone(112)],
            schedules=[weekly("WE", "10:00", "13:30")],
            attendance=att("drop_in"),
            eligibility=Eligibility(description="Older people, usually 60 and over"),
            languages=("English", "Gujarati", "Hindi"),
            assured=d(2026, 8, 5),
        ),
        service(
            "harlesden-baptist-community-lunch",
            "Harlesden Baptist Church Community Lunch",
            "Harlesden Baptist Church",
            "A free two-course lunch every Sunday after the morning service, open to "
            "everyone in the neighbourhood. No need to attend church.",
            needs=["food", "faith-community", "loneliness"],
            keywords=["community lunch", "church", "free meal", "sunday lunch"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(113)],
            schedules=[weekly("SU", "12:30", "14:00")],
            attendance=att("drop_in"),
            assured=d(2026, 10, 5),
        ),
        service(
            "brent-neighbours-befriending",
            "Brent Neighbours Befriending",
            "Brent Neighbours",
            "A volunteer visits you at home once a week for a cup of tea and a chat, or "
            "goes with you to the shops or the park. For older or housebound people who "
            "feel lonely. Phone to ask for a befriender.",
            needs=["loneliness", "older-people"],
            keywords=["befriending", "home visits", "companionship", "housebound"],
            areas=["Borough-wide"],
            venues=[],
            phones=[phone(114, "Befriending coordinator")],
            schedules=[words("A volunteer visits at a time that suits you both")],
            attendance=att("referral_needed", "phone"),
            eligibility=Eligibility(description="Brent residents aged 65 and over, or housebound"),
            assured=d(2026, 7, 22),
        ),
        service(
            "chatline-friends",
            "Chatline Friends Telephone Befriending",
            "Brent Neighbours",
            "A friendly volunteer phones you for a chat at the same time each week. Good "
            "for anyone who finds it hard to get out. You can also phone in yourself.",
            needs=["loneliness", "older-people", "feeling-low"],
            keywords=["telephone befriending", "phone call", "chat", "friendship line"],
            areas=["Borough-wide"],
            venues=[],
            phones=[phone(115)],
            schedules=[],
            attendance=att("phone", in_person=False),
            languages=("English", "Polish", "Gujarati"),
            assured=d(2026, 10, 20),
        ),
        service(
            "harlesden-money-advice",
            "Harlesden Money Advice Drop-in",
            "Brent Advice Partnership",
            "Free, private help with debt from advisers who know how. Help with rent you owe,"
            " council tax, gas and power bills, and bailiffs. Bring any letters you have.",
            needs=["money", "housing"],
            keywords=["debt advice", "arrears", "bailiffs", "council tax", "energy bills"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(116, "Advice line, weekdays 10am to 4pm")],
            schedules=[weekly("TU", "10:00", "13:00")],
            attendance=att("drop_in", "phone"),
            languages=("English", "Somali", "Portuguese"),
            assured=d(2026, 11, 4),
        ),
        service(
            "wembley-benefits-help",
            "Benefits Help at Wembley Library",
            "Brent Advice Partnership",
            "Advisers help you check what money you can get from benefits. They help you fill"
            " in forms for Universal Credit, PIP and Pension Credit. Book a half-hour slot.",
            needs=["money"],
            keywords=["benefits advice", "universal credit", "PIP", "pension credit", "forms"],
            areas=["Wembley"],
            venues=["wembley-library"],
            phones=[phone(117)],
            schedules=[weekly("TH", "13:00", "16:00")],
            attendance=att("booking", "phone"),
            assured=d(2026, 9, 29),
        ),
        service(
            "kilburn-food-bank",
            "Kilburn Food Bank",
            "Kilburn Community Pantry",
            "Food parcels for an emergency, plus wash things and nappies. For people who are "
            "having a hard time. It helps to bring a food bank voucher. You do not need one "
            "on your first visit.",
            needs=["food", "money"],
            keywords=["food bank", "food parcel", "toiletries", "nappies"],
            areas=["Kilburn"],
            venues=["kilburn-library"],
            phones=[phone(118)],
            schedules=[weekly("TU,FR", "11:00", "14:00")],
            attendance=att("drop_in", "referral_needed"),
            assured=d(2026, 6, 30),
        ),
        service(
            "alperton-community-fridge",
            "Alperton Community Fridge",
            "Alperton Community Hub",
            "A fridge of good food from local shops. The shops would throw it away. Anyone "
            "can take what they need. No one asks why, and no one needs to send you.",
            needs=["food", "money"],
            keywords=["community fridge", "free food", "food waste", "surplus food"],
            areas=["Alperton"],
            venues=["alperton-hub"],
            phones=[phone(119)],
            schedules=[weekly("MO,WE,FR", "15:00", "17:00")],
            attendance=att("drop_in"),
            assured=d(2026, 10, 22),
        ),
        service(
            "brent-housing-advice",
            "Brent Housing Advice Service",
            "Brent Advice Partnership",
            "Help if you are scared of losing your home. Come if you have a letter to say you"
            " must leave, or have problems with your landlord or repairs. Phone first. You "
            "can meet them at the Wembley Advice Centre.",
            needs=["housing", "money"],
            keywords=["housing advice", "eviction", "section 21", "landlord", "homeless"],
            areas=["Borough-wide"],
            venues=["wembley-high-road"],
            phones=[phone(120, "Housing advice line")],
            schedules=[weekly("MO,TU,WE,TH,FR", "09:30", "16:30", note="Phone line hours")],
            attendance=att("booking", "phone"),
            assured=d(2026, 8, 12),
        ),
        service(
            "harlesden-homeless-drop-in",
            "Harlesden Homeless Drop-in",
            "Harlesden Open Door",
            "A drop-in each morning for people who have no home or sleep on the street. Hot "
            "breakfast, showers and a place to wash clothes. A nurse comes on Thursdays. They"
            " help you find somewhere to stay.",
            needs=["housing", "food", "health"],
            keywords=["homeless", "rough sleeping", "showers", "breakfast", "laundry"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(121)],
            schedules=[weekly("TU,TH", "08:30", "11:30")],
            attendance=att("drop_in"),
            languages=("English", "Polish", "Romanian"),
            assured=d(2026, 11, 12),
        ),
        service(
            "church-end-carers-coffee",
            "Church End Carers' Coffee Morning",
            "Brent Carers Network",
            "A coffee morning for anyone who looks after someone close to them. Meet other "
            "carers. Get help with Carer's Allowance and with getting a break.",
            needs=["carers", "loneliness"],
            keywords=["carers group", "unpaid carers", "carers allowance", "respite"],
            areas=["Church End"],
            venues=["church-end-library"],
            phones=[phone(122)],
            schedules=[monthly("-1FR", "10:00", "12:00", "Last Friday of every month")],
            attendance=att("drop_in"),
            assured=d(2026, 9, 26),
        ),
        service(
            "brent-young-carers-club",
            "Brent Young Carers Club",
            "Brent Carers Network",
            "A club for children and teenagers who help look after someone at home. Games, "
            "trips and a break from caring, with staff who understand.",
            needs=["carers", "families"],
            keywords=["young carers", "children", "teenagers", "youth"],
            areas=["Borough-wide"],
            venues=["willesden-office"],
            phones=[phone(123)],
            schedules=[fortnightly("WE", "16:30", "18:30", d(2026, 1, 14))],
            attendance=att("referral_needed"),
            eligibility=Eligibility(
                description="Young carers aged 8 to 18", minimum_age=8, maximum_age=18
            ),
            assured=d(2026, 7, 15),
        ),
        service(
            "brent-carers-advice-line",
            "Brent Carers Advice Line",
            "Brent Carers Network",
            "A phone line for unpaid carers: help with a carer's assessment, money, and "
            "finding a break. We can phone you back in your language.",
            needs=["carers", "money"],
            keywords=["carers advice", "carers assessment", "helpline"],
            areas=["Borough-wide"],
            venues=[],
            phones=[phone(124, "Weekdays 9am to 5pm")],
            schedules=[],
            attendance=att("phone", in_person=False),
            languages=("English", "Gujarati", "Somali", "Tamil"),
            assured=d(2026, 5, 29),
        ),
        service(
            "alperton-esol",
            "English for Everyday Life (ESOL) Classes",
            "Alperton Community Hub",
            "Free English classes for adults, from beginners to improvers. Learn the "
            "English you need for shopping, doctors, school and work. Enrol at the hub.",
            needs=["learning", "language"],
            keywords=["ESOL", "English classes", "learn English", "beginners"],
            areas=["Alperton"],
            venues=["alperton-hub"],
            phones=[phone(125)],
            schedules=[weekly("MO,WE", "10:00", "12:00")],
            attendance=att("booking"),
            eligibility=Eligibility(description="Adults aged 19 and over", minimum_age=19),
            languages=("English", "Tamil", "Gujarati", "Arabic"),
            assured=d(2026, 9, 10),
        ),
        service(
            "kilburn-english-conversation",
            "Kilburn English Conversation Club",
            "Kilburn Library Friends",
            "Practise speaking English with friendly volunteers over tea. All levels "
            "welcome; a good next step after ESOL classes.",
            needs=["language", "learning", "loneliness"],
            keywords=["ESOL", "conversation", "practise English", "speaking"],
            areas=["Kilburn"],
            venues=["kilburn-library"],
            phones=[phone(126)],
            schedules=[weekly("SA", "10:30", "12:00")],
            attendance=att("drop_in"),
            assured=d(2026, 10, 17),
        ),
        service(
            "brent-talking-space",
            "Brent Talking Space",
            "Brent Talking Space Partnership",
            "Free talking help, like counselling, for low mood, worry and stress. You can "
            "phone them or fill in a form online. You do not need to see a doctor first.",
            needs=["feeling-low", "health"],
            keywords=["talking therapies", "counselling", "CBT", "anxiety", "depression"],
            areas=["Borough-wide"],
            venues=[],
            phones=[phone(127, "Self-referral line")],
            schedules=[weekly("MO,TU,WE,TH,FR", "09:00", "17:00", note="Phone line hours")],
            attendance=att("referral_needed", "phone", "online", in_person=False),
            eligibility=Eligibility(
                description="Adults registered with a Brent GP", minimum_age=18
            ),
            languages=("English", "Arabic", "Polish", "Somali"),
            assured=d(2026, 10, 8),
        ),
        service(
            "wembley-low-cost-counselling",
            "Wembley Low-Cost Counselling",
            "Wembley Wellbeing Trust",
            "Counselling just for you with a trained counsellor. You pay what you can, from "
            "£5 to £25 each time, based on what you earn. You do not wait long.",
            needs=["feeling-low"],
            keywords=["counselling", "therapy", "low cost", "sliding scale"],
            areas=["Wembley"],
            venues=["wembley-high-road"],
            phones=[phone(128)],
            schedules=[weekly("MO,TU,TH", "10:00", "20:00", note="Appointments only")],
            attendance=att("booking", "online"),
            cost=Cost(free=False, description="£5 to £25 a session, depending on income"),
            eligibility=Eligibility(minimum_age=18),
            assured=d(2026, 8, 28),
        ),
        service(
            "harlesden-womens-counselling",
            "Harlesden Women's Counselling Project",
            "Harlesden Women's Centre",
            "Free counselling and groups for women. This is for women hurt by abuse, or by "
            "something very bad that happened to them. The counsellors speak many languages.",
            needs=["feeling-low", "safety"],
            keywords=["women", "counselling", "trauma", "support group"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(129)],
            schedules=[weekly("WE", "10:00", "16:00")],
            attendance=att("booking", "phone"),
            eligibility=Eligibility(description="Women aged 18 and over", minimum_age=18),
            languages=("English", "Somali", "Arabic", "Portuguese"),
            assured=d(2026, 6, 10),
        ),
        service(
            "alperton-canal-walkers",
            "Alperton Canal Walkers",
            "Brent Active Together",
            "A gentle hour's walk along the canal towpath at an easy pace, led by trained "
            "volunteers. Finish with a drink at the café. Good for making friends.",
            needs=["health", "activities", "loneliness"],
            keywords=["walking group", "health walk", "exercise", "canal", "outdoors"],
            areas=["Alperton"],
            venues=["canal-basin"],
            phones=[phone(130)],
            schedules=[weekly("WE", "10:30", "11:30")],
            attendance=att("drop_in"),
            assured=d(2026, 10, 2),
        ),
        service(
            "church-end-chair-exercise",
            "Chair Exercise for Older People",
            "Brent Active Together",
            "An exercise class you do sitting in a chair. It keeps you moving, helps your "
            "balance and helps stop falls. Go at your own pace, with music.",
            needs=["older-people", "health", "activities"],
            keywords=["chair exercise", "seated exercise", "falls prevention", "balance"],
            areas=["Church End"],
            venues=["church-end-centre"],
            phones=[phone(131)],
            schedules=[weekly("FR", "11:00", "12:00")],
            attendance=att("drop_in"),
            cost=Cost(free=False, description="£1.50 a session"),
            eligibility=Eligibility(description="Aimed at people over 60", minimum_age=55),
            assured=d(2026, 9, 19),
        ),
        service(
            "harlesden-mens-shed",
            "Harlesden Men's Shed",
            "Harlesden Men's Shed",
            "A workshop where men get together to make, mend and chat. Woodwork, bike "
            "repairs and tea. Sheds are good for your mental health too.",
            needs=["loneliness", "activities", "feeling-low"],
            keywords=["mens shed", "woodwork", "making things", "men's health"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(132)],
            schedules=[weekly("TU,TH", "13:00", "16:00")],
            attendance=att("drop_in"),
            assured=d(2026, 11, 6),
        ),
        service(
            "kilburn-little-explorers",
            "Little Explorers Parent and Toddler Group",
            "Kilburn Library Friends",
            "Play, songs and stories for babies and toddlers, with their parents or carers. "
            "Meet other families. Ask about help for children in the area.",
            needs=["families", "loneliness"],
            keywords=["parent and toddler", "stay and play", "baby group", "under 5s"],
            areas=["Kilburn"],
            venues=["kilburn-library"],
            phones=[phone(133)],
            schedules=[weekly("MO", "10:00", "11:30")],
            attendance=att("drop_in"),
            eligibility=Eligibility(
                description="Children under 5 with a parent or carer", maximum_age=5
            ),
            languages=("English", "Arabic", "Portuguese"),
            assured=d(2026, 10, 11),
        ),
        service(
            "brent-safe-space",
            "Brent Safe Space Domestic Abuse Service",
            "Brent Safe Space",
            "Private help for anyone hurt by domestic abuse. They help you plan to stay safe "
            "and speak up for you. They can find you a safe place to stay, and run groups. If"
            " you are in danger now, call 999.",
            needs=["safety", "urgent", "housing"],
            keywords=["domestic abuse", "domestic violence", "IDVA", "refuge", "coercive control"],
            areas=["Borough-wide"],
            venues=[],
            phones=[phone(134, "Helpline, weekdays 9am to 6pm")],
            schedules=[weekly("MO,TU,WE,TH,FR", "09:00", "18:00", note="Helpline hours")],
            attendance=att("phone", "booking", in_person=False),
            languages=("English", "Somali", "Arabic", "Polish", "Tamil"),
            assured=d(2026, 11, 3),
            email=False,
        ),
        service(
            "church-end-get-online",
            "Get Online Help at Church End Library",
            "Church End Library",
            "One-to-one help with phones, tablets and computers: email, video calls, NHS "
            "app, online forms. Bring your own device or use ours.",
            needs=["learning", "older-people"],
            keywords=["digital skills", "computer help", "smartphone", "NHS app", "internet"],
            areas=["Church End"],
            venues=["church-end-library"],
            phones=[phone(135)],
            schedules=[weekly("WE", "14:00", "16:00")],
            attendance=att("drop_in", "booking"),
            assured=d(2026, 8, 14),
        ),
        service(
            "kilburn-knit-and-natter",
            "Knit and Natter at Kilburn Library",
            "Kilburn Library Friends",
            "Bring your knitting or crochet, or learn from scratch with our wool and "
            "needles. A warm, chatty group that welcomes beginners.",
            needs=["loneliness", "activities", "older-people"],
            keywords=["knitting", "crochet", "crafts", "knit and natter"],
            areas=["Kilburn"],
            venues=["kilburn-library"],
            phones=[phone(136)],
            schedules=[weekly("TH", "14:00", "16:00")],
            attendance=att("drop_in"),
            assured=d(2026, 9, 24),
        ),
        service(
            "wembley-warm-space",
            "Wembley Library Warm Space",
            "Wembley Library",
            "A warm, friendly room in the winter. Free hot drinks, soup on weekdays, a place "
            "to charge your phone, and newspapers. Stay as long as you like.",
            needs=["money", "loneliness", "food"],
            keywords=["warm space", "warm hub", "heating", "hot drinks", "winter"],
            areas=["Wembley"],
            venues=["wembley-library"],
            phones=[phone(137)],
            schedules=[
                weekly(
                    "MO,TU,WE,TH,FR",
                    "10:00",
                    "16:00",
                    valid_from=d(2026, 11, 2),
                    valid_to=d(2027, 3, 26),
                    note="Winter only, November to March",
                )
            ],
            attendance=att("drop_in"),
            assured=d(2026, 11, 2),
        ),
        service(
            "church-end-youth-club",
            "Church End Youth Club",
            "Church End Community Centre",
            "A youth club for ages 11 to 19. There is sport, music, cooking and a quiet room "
            "for homework. Youth workers can help if you are worried about school or home.",
            needs=["families", "activities"],
            keywords=["youth club", "teenagers", "young people", "music studio", "sport"],
            areas=["Church End"],
            venues=["church-end-centre"],
            phones=[phone(138)],
            schedules=[weekly("TU,TH", "17:00", "20:00")],
            attendance=att("drop_in"),
            eligibility=Eligibility(
                description="Young people aged 11 to 19", minimum_age=11, maximum_age=19
            ),
            assured=d(2026, 10, 27),
        ),
        service(
            "brent-volunteering-centre",
            "Brent Volunteering Centre",
            "Brent Voluntary Action",
            "Find a way to help out that suits you. It could be visiting someone who is "
            "lonely, gardening or a food bank. Advisers help you choose. It is a good way "
            "into work.",
            needs=["learning", "activities", "loneliness"],
            keywords=["volunteering", "volunteer", "work experience", "skills"],
            areas=["Borough-wide"],
            venues=["willesden-office"],
            phones=[phone(139)],
            schedules=[weekly("TU,TH", "10:00", "15:00")],
            attendance=att("drop_in", "online"),
            assured=d(2026, 7, 9),
        ),
        service(
            "somali-advice-group",
            "Somali Community Advice Group",
            "Harlesden Somali Community Association",
            "Help in Somali to read letters and fill in forms for benefits, housing and "
            "school. Women can come for tea in the afternoon. Staff speak English and Arabic "
            "too.",
            needs=["language", "money", "faith-community"],
            keywords=["somali", "advice", "letters", "interpreting"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(140)],
            schedules=[weekly("SA", "11:00", "15:00")],
            attendance=att("drop_in"),
            languages=("Somali", "English", "Arabic"),
            assured=d(2026, 9, 1),
        ),
        service(
            "gujarati-elders-club",
            "Gujarati Elders' Club",
            "Wembley Gujarati Samaj",
            "A club each week for older people who speak Gujarati. There is lunch, garba "
            "dancing and talks on health. You can get help to read letters in Gujarati.",
            needs=["language", "older-people", "loneliness"],
            keywords=["gujarati", "elders", "seniors", "lunch", "garba"],
            areas=["Wembley"],
            venues=["wembley-temple"],
            phones=[phone(141)],
            schedules=[weekly("TU", "11:00", "14:00")],
            attendance=att("drop_in"),
            cost=Cost(free=False, description="£3 including lunch"),
            languages=("Gujarati", "English"),
            assured=d(2026, 10, 6),
        ),
        service(
            "tamil-support-sessions",
            "Tamil Community Support Sessions",
            "Alperton Tamil Welfare Association",
            "Help in Tamil every other Sunday. Get help with benefits, and find out where to "
            "go for help with your right to stay in this country. Get help to sign up with a "
            "doctor. Then stay for snacks and a chat.",
            needs=["language", "money"],
            keywords=["tamil", "advice", "GP registration", "support"],
            areas=["Alperton"],
            venues=["alperton-hub"],
            phones=[phone(142)],
            schedules=[fortnightly("SU", "14:00", "17:00", d(2026, 1, 11))],
            attendance=att("drop_in"),
            languages=("Tamil", "English"),
            assured=d(2026, 8, 23),
        ),
        service(
            "kilburn-polish-advice",
            "Polish Advice Point",
            "Kilburn Polish Community Club",
            "Help in Polish each month with work, benefits, settled status and housing. A "
            "helper can come to your meetings to say things in Polish and English. Punkt "
            "porad po polsku.",
            needs=["language", "money", "housing"],
            keywords=["polish", "punkt porad", "settled status", "advice"],
            areas=["Kilburn"],
            venues=["kilburn-hall"],
            phones=[phone(143)],
            schedules=[monthly("1WE", "17:00", "19:30", "First Wednesday of the month")],
            attendance=att("drop_in", "booking"),
            languages=("Polish", "English"),
            assured=d(2025, 11, 18),
        ),
        service(
            "wembley-hearing-loss-drop-in",
            "Hearing Loss Drop-in",
            "Brent Hearing Help",
            "Free cleaning for hearing aids, with new tubes and batteries. Ask about hearing "
            "loss and things for your home that help you hear. You do not need to book.",
            needs=["health", "older-people"],
            keywords=["hearing aids", "deaf", "hard of hearing", "batteries", "tinnitus"],
            areas=["Wembley"],
            venues=["wembley-library"],
            phones=[phone(144, "Also takes text messages")],
            schedules=[monthly("3MO", "10:00", "12:30", "Third Monday of the month")],
            attendance=att("drop_in"),
            languages=("English", "British Sign Language"),
            assured=d(2026, 3, 16),
        ),
        service(
            "kilburn-bereavement-group",
            "Kilburn Bereavement Support Group",
            "Kilburn Community Counselling",
            "A small group for people who have lost someone close. Talk, listen, or just sit "
            "with others who understand. A trained counsellor leads each session.",
            needs=["feeling-low", "loneliness"],
            keywords=["bereavement", "grief", "loss", "counselling", "widowed"],
            areas=["Kilburn"],
            venues=["kilburn-hall"],
            phones=[phone(145)],
            schedules=[fortnightly("MO", "18:00", "19:30", d(2026, 1, 5))],
            attendance=att("booking"),
            eligibility=Eligibility(minimum_age=18),
            assured=d(2026, 9, 14),
        ),
        service(
            "church-end-over-50s-coffee",
            "Church End Over-50s Coffee Morning",
            "St Aidan's Church, Church End",
            "Tea, coffee, biscuits and good company every Tuesday morning. There are quizzes "
            "and some trips. Someone will always listen.",
            needs=["loneliness", "older-people", "faith-community"],
            keywords=["coffee morning", "social", "over 50s", "quiz"],
            areas=["Church End"],
            venues=["st-aidans"],
            phones=[phone(146)],
            schedules=[weekly("TU", "10:00", "12:00")],
            attendance=att("drop_in"),
            assured=d(2026, 10, 13),
        ),
        service(
            "harlesden-repair-cafe",
            "Harlesden Repair Café",
            "Harlesden Growing Together",
            "Bring broken things (lamps, clothes, bikes, toasters) and volunteers help you "
            "fix them for free. Saves money and keeps things out of the bin.",
            needs=["money", "activities"],
            keywords=["repair café", "fix", "mending", "sewing", "recycling"],
            areas=["Harlesden"],
            venues=["harlesden-centre"],
            phones=[phone(147)],
            schedules=[fortnightly("SA", "10:00", "13:00", d(2026, 1, 10))],
            attendance=att("drop_in"),
            assured=d(2026, 1, 21),
        ),
        service(
            "church-end-summer-food-and-fun",
            "Summer Holiday Food and Fun Club",
            "Church End Community Centre",
            "Free activities and a healthy lunch in the summer holidays for children who get "
            "free school meals. Sport, crafts and trips.",
            needs=["families", "food", "activities"],
            keywords=["holiday club", "HAF", "free school meals", "summer", "children"],
            areas=["Church End"],
            venues=["church-end-centre"],
            phones=[phone(148)],
            schedules=[
                weekly(
                    "MO,TU,WE,TH",
                    "10:00",
                    "14:00",
                    valid_from=d(2026, 7, 27),
                    valid_to=d(2026, 8, 27),
                    note="Summer holidays only",
                )
            ],
            attendance=att("booking"),
            eligibility=Eligibility(
                description="Children aged 5 to 16 who get free school meals",
                minimum_age=5,
                maximum_age=16,
            ),
            assured=d(2026, 6, 18),
        ),
        service(
            "alperton-baby-bank",
            "Alperton Baby Bank",
            "Alperton Community Hub",
            "Free clothes, prams, cots and nappies for families with babies and young "
            "children. Closed for now while we move rooms; phone for news.",
            needs=["families", "money"],
            keywords=["baby bank", "baby clothes", "prams", "nappies"],
            areas=["Alperton"],
            venues=["alperton-hub"],
            phones=[phone(149)],
            schedules=[weekly("FR", "10:00", "12:00")],
            attendance=att("referral_needed"),
            status=Status.TEMPORARILY_CLOSED,
            assured=d(2026, 11, 16),
        ),
        service(
            "brent-crisis-cafe",
            "Brent Evening Crisis Café",
            "Brent Mind Matters",
            "A calm place to go in the evening if your mental health is bad and you feel "
            "close to a crisis. Talk to staff who know how to help. You do not need to book, "
            "and no one needs to send you.",
            needs=["urgent", "feeling-low"],
            keywords=["crisis café", "safe haven", "mental health crisis", "evening support"],
            areas=["Borough-wide"],
            venues=["wembley-high-road"],
            phones=[phone(150)],
            schedules=[weekly("FR,SA,SU", "18:00", "23:00")],
            attendance=att("drop_in", "phone"),
            eligibility=Eligibility(minimum_age=18),
            assured=d(2026, 11, 9),
        ),
        service(
            "kilburn-family-hub",
            "Kilburn Family Hub Stay and Play",
            "Kilburn Family Hub Partnership",
            "Free play time for families with children under 5. Nurses for young children are"
            " there. Ask them about feeding, sleep and how your child grows.",
            needs=["families", "health"],
            keywords=["family hub", "health visitor", "baby weighing", "stay and play"],
            areas=["Kilburn"],
            venues=["kilburn-library"],
            phones=[phone(151)],
            schedules=[weekly("WE", "13:30", "15:00")],
            attendance=att("drop_in"),
            eligibility=Eligibility(maximum_age=5),
            assured=d(2026, 7, 30),
        ),
        service(
            "wembley-energy-help",
            "Wembley Energy Bill Help",
            "Brent Advice Partnership",
            "Help with gas and power bills. They can help you find a cheaper deal, get money "
            "off your bills with grants and the Warm Home Discount, and deal with meters you "
            "pay for first. Phone to book.",
            needs=["money", "housing"],
            keywords=["energy bills", "fuel poverty", "prepayment meter", "grants"],
            areas=["Wembley", "Borough-wide"],
            venues=["wembley-high-road"],
            phones=[phone(152)],
            schedules=[fortnightly("FR", "10:00", "13:00", d(2026, 1, 9))],
            attendance=att("booking", "phone"),
            assured=d(2026, 10, 24),
        ),
    ]


def main() -> int:
    """Write the sample directory and print how many services it holds."""
    items = sorted(services(), key=lambda s: s.name.casefold())
    page = hsds3_page(items, sample_ids=[s.id for s in items])
    OUTPUT.write_text(dumps(page), encoding="utf-8")
    print(f"wrote {len(items)} services to {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
