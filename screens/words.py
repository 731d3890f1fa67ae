"""Service facts in plain words for the screens: how to go, cost, dates, access.

Everything here goes through the translation function, so a catalogue can say it in
another language.
"""

from __future__ import annotations

import re
from datetime import date

from dateutil.relativedelta import relativedelta

from hub.i18n import _
from hub.models import Location, Service
from hub.schedule import LONDON, format_date, format_month

STALE_AFTER = relativedelta(months=6)
"""Details checked longer ago than this may be out of date."""


def long_date(day: date) -> str:
    """Return a date as people write it, in the kiosk's language: "3 March 2026",
    "3 marca 2026" (Babel's CLDR data knows each language's order and grammar)."""
    return format_date(day, year=True)


def how_to_go_short(service: Service) -> str:
    """Return how to go in a few words: "Drop in", "Phone first", "Someone must send you"
    (a referral, said plainly as issue 15 asked: the card says who can send you)."""
    attendance = service.attendance
    if attendance.referral_needed:
        return _("Someone must send you")
    if attendance.drop_in:
        return _("Drop in")
    return _("Phone first")


def how_to_go(service: Service) -> str:
    """Return how to go as a sentence a visitor can act on."""
    attendance = service.attendance
    if attendance.referral_needed:
        return _("Ask your doctor or a support worker to send you.")
    if attendance.drop_in:
        return _("Just turn up. You do not need to book.")
    if attendance.booking:
        return _("Phone first to book a place.")
    return _("Phone first to check.")


def cost_short(service: Service) -> str:
    """Return "Free", "Not free" or "Ask about cost"."""
    if service.cost.free is True:
        return _("Free")
    if service.cost.free is False:
        return _("Not free")
    return _("Ask about cost")


def cost_words(service: Service) -> str:
    """Return what it costs, with the directory's own words when it has them."""
    short = cost_short(service)
    described = service.cost.description
    if not described:
        return short
    # Feeds often say just "Free" in the description too: say it once.
    if described.rstrip(". ").casefold() == short.casefold():
        return short
    return f"{short}. {described}"


def areas_words(service: Service) -> str:
    """Return the areas a service covers, joined with commas."""
    return ", ".join(service.areas)


def who_for(service: Service) -> str:
    """Return who the service is for and any age limits, one idea per line."""
    eligibility = service.eligibility
    parts: list[str] = []
    description = (eligibility.description or "").strip()
    if description:
        parts.append(description if description[-1] in ".!?" else description + ".")
    low, high = eligibility.minimum_age, eligibility.maximum_age
    if any(ch.isdigit() for ch in description):
        pass  # "Women aged 18 and over" already says the ages: do not say them twice
    elif low is not None and high is not None:
        parts.append(_("Ages {low} to {high}.").format(low=low, high=high))
    elif low is not None:
        parts.append(_("Ages {low} and over.").format(low=low))
    elif high is not None:
        parts.append(_("Ages up to {high}.").format(high=high))
    if parts:
        return "\n".join(parts)
    # "Anyone can come" beside "Someone must send you" would contradict the list line.
    if service.attendance.referral_needed:
        return _("Anyone, with a referral.")
    return _("Anyone can come.")


def address_lines(location: Location) -> list[str]:
    """Return a place's name and address, one line each, postcode last."""
    lines = [location.name] if location.name else []
    lines.extend(line for line in location.address_lines if line != location.name)
    if location.town:
        lines.append(location.town)
    if location.postcode:
        lines.append(location.postcode)
    return lines


def yes_no_unknown(value: bool | None) -> str:
    """Return "Yes", "No" or "Not known"."""
    if value is None:
        return _("Not known")
    return _("Yes") if value else _("No")


def last_checked(service: Service) -> str:
    """Return "Last checked 3 March 2026" (or that nobody has checked it)."""
    if service.assured_date is None:
        return _("We do not know when these details were last checked.")
    return _("Last checked {date}").format(date=long_date(service.assured_date))


def details_checked(service: Service) -> str:
    """Return "Details checked: March 2026": when someone last checked the details, or
    else when the record last changed."""
    checked = service.assured_date or service.last_modified.astimezone(LONDON).date()
    return _("Details checked: {month_and_year}").format(month_and_year=format_month(checked))


def how_to_get_in(service: Service) -> str:
    """Return how to get in: the list line's words, then what to do ("Someone must send
    you. Ask your doctor or a support worker to send you."), so the card and the list
    always agree."""
    return f"{how_to_go_short(service)}. {how_to_go(service)}"


def may_be_out_of_date(service: Service, today: date) -> bool:
    """Return True when the details were checked over six months ago (or never)."""
    checked = service.assured_date
    return checked is None or checked < today - STALE_AFTER


def main_phone(service: Service) -> str | None:
    """Return the first phone number, if the service has one."""
    phones = service.contact.phones
    return phones[0].number if phones else None


# --- what to say on the phone ---------------------------------------------------------

_CALL_FIRST = re.compile(
    r"\b(?:call|phone|ring|telephone)\s+(?:us\s+)?(?:first|ahead|before)\b"
    r"|\bby\s+appointment\b",
    re.IGNORECASE,
)
"""A directory's own words asking visitors to ring before they come."""
_REFERRAL = re.compile(r"(?<!self[- ])\breferr(?:al|ed)\b", re.IGNORECASE)
"""A referral in the words of how to go; "self referral" means just go, so it is not one."""


def needs_a_call(service: Service) -> bool:
    """Return True when a visitor should ring the service before going.

    The rule, from the record alone: there must be a phone number (no number, no call to
    make), and then either
    - the visitor cannot just turn up: no drop-in (booking, a referral, phone-only, or the
      directory never said), which is when the card says "Phone first" or "Referral
      needed"; or
    - the directory's words ask for a call even where it is marked drop-in: "call first",
      "phone ahead", "by appointment" in how to go or the description, or "referral" in
      how to go ("self referral" excepted). The description is not searched for
      "referral": "no referral needed" is a common way of saying the opposite.
    """
    if main_phone(service) is None:
        return False
    attendance = service.attendance
    if not attendance.drop_in or attendance.referral_needed:
        return True
    how = attendance.words or ""
    return bool(
        _CALL_FIRST.search(how) or _REFERRAL.search(how) or _CALL_FIRST.search(service.description)
    )


def what_to_say(service: Service, hub_name: str | None) -> str | None:
    """Return one line a visitor can say when they ring ("Hello, I'd like to ask about the
    lunch club. I found you at Church End Library."), or None when no call is needed.

    The service's and the hub's names are the directory's own; the sentence around them is
    in the visitor's language. A kiosk not yet set up has no name to give, so the line
    then stops after the service.
    """
    if not needs_a_call(service):
        return None
    if hub_name:
        return _("Hello, I'd like to ask about {service}. I found you at {hub}.").format(
            service=service.name, hub=hub_name
        )
    return _("Hello, I'd like to ask about {service}.").format(service=service.name)
