"""A follow-up due, on staff home: what was referred, how to reach them, and the outcome."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Select, Static

from hub.i18n import _
from hub.kiosk_service import NotFound, NotSaved
from hub.models import AGE_BAND_LABELS, OUTCOME_LABELS, Referral
from hub.referrals import ReferralError
from hub.schedule import format_day
from screens.kiosk import kiosk_app
from screens.saving import save_off_screen


def follow_up_words(referral: Referral) -> Content:
    """Return a follow-up's line: when due, the service, and how to reach them."""
    due = format_day(referral.follow_up_on) if referral.follow_up_on else _("no date")
    facts = [
        _("Due {date}").format(date=due),
        _("recorded {date}").format(date=format_day(referral.recorded_at)),
        _(AGE_BAND_LABELS[referral.age_band]),
    ]
    contact = (
        _("Contact: {contact}").format(contact=referral.contact)
        if referral.contact
        else _("No contact given")
    )
    return Content.assemble(
        Content.styled(referral.service_name, "bold"), "\n", " · ".join(facts), "\n", contact
    )


class FollowUpRow(Horizontal):
    """One referral due a follow-up; choosing an outcome saves it at once."""

    def __init__(self, referral: Referral) -> None:
        super().__init__(classes="follow-up-row staff-row")
        self.referral = referral

    def compose(self) -> ComposeResult:
        """Yield the words, the outcome list and where "Saved" shows."""
        yield Static(follow_up_words(self.referral), classes="row-words")
        yield Select(
            [(_(label), value) for value, label in OUTCOME_LABELS.items()],
            value=self.referral.outcome,
            allow_blank=False,
            classes="outcome",
        )
        yield Static("", classes="row-status")

    @on(Select.Changed, ".outcome")
    def _outcome_chosen(self, event: Select.Changed) -> None:
        event.stop()
        outcome = str(event.value)
        if outcome == self.referral.outcome:
            return
        kiosk = kiosk_app(self)
        session = kiosk.staff_session
        if session is None:
            return
        status = self.query_one(".row-status", Static)
        referral_id, staff_id = self.referral.id, session.staff_id

        def saved(referral: Referral) -> None:
            self.referral = referral
            status.update(Content(_("Saved: {outcome}").format(outcome=_(OUTCOME_LABELS[outcome]))))

        def failed(exc: Exception) -> None:
            status.update(Content(_("Not saved: {reason}").format(reason=exc)))

        save_off_screen(
            self,
            lambda: kiosk.hub.set_outcome(referral_id, outcome, staff_id),
            then=saved,
            failed=failed,
            expected=(ReferralError, NotFound, NotSaved),
        )
