"""Service facts in plain words for the screens: how to go, cost, dates, access.

Everything here goes through the translation function, so a catalogue can say it in
another language.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from hub.i18n import _
from hub.models import Location, Service
from hub.schedule import LONDON, MONTH_NAMES

STALE_AFTER = relativedelta(months=6)
"""Details checked longer ago than this may be out of date."""


def long_date(day: date) -> str:
    """Return a date as people write it: "3 March 2026"."""
    return _("{day} {month} {year}").format(
        day=day.day, month=_(MONTH_NAMES[day.month - 1]), year=day.year
    )


def how_to_go_short(service: Service) -> str:
    """Return how to go in two or three words: "Drop in", "Phone first", "Referral needed"."""
    attendance = service.attendance
    if attendance.referral_needed:
        return _("Referral needed")
    if attendance.drop_in:
        return _("Drop in")
    return _("Phone first")


def how_to_go(service: Service) -> str:
    """Return how to go as a sentence a visitor can act on."""
    attendance = service.attendance
    if attendance.referral_needed:
        return _("You need someone to refer you, such as a doctor or a support worker.")
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
    # "Anyone can come" beside "Referral needed" would contradict the list line.
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
    return _("Details checked: {month} {year}").format(
        month=_(MONTH_NAMES[checked.month - 1]), year=checked.year
    )


def how_to_get_in(service: Service) -> str:
    """Return how to get in: the list line's words, then what to do ("Referral needed. You
    need someone to refer you, ..."), so the card and the list always agree."""
    return f"{how_to_go_short(service)}. {how_to_go(service)}"


def may_be_out_of_date(service: Service, today: date) -> bool:
    """Return True when the details were checked over six months ago (or never)."""
    checked = service.assured_date
    return checked is None or checked < today - STALE_AFTER


def main_phone(service: Service) -> str | None:
    """Return the first phone number, if the service has one."""
    phones = service.contact.phones
    return phones[0].number if phones else None
