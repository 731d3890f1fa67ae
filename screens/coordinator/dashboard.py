"""Coordinator dashboard: referrals by need and by week, searches that found nothing, and
the services that need checking, for the last 4 weeks, the last 12 weeks, or all time.

Counts only: no referral's details are shown, so the screen is safe to leave open at a
shared desk. The figures come from `hub.reports` in a thread (a coordinator may hold a
year of several hubs' referrals), and are redrawn whenever the period changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from hub.coordinator_desk import CoordinatorDesk
from hub.crisis import kind_label
from hub.i18n import N_, _, ngettext
from hub.models import Service
from hub.referrals import london_today
from hub.reports import UnmetRow, week_start
from hub.schedule import format_date
from screens.coordinator import CoordinatorScreen
from screens.coordinator.bar_chart import Bar, BarChart
from screens.words import long_date

PeriodChoice = Literal["4", "12", "all"]

WEEKS_CHARTED = 12
"""The week chart shows at most this many weeks, the latest; more would not fit calmly."""
UNMET_SHOWN = 10
CHECKING_SHOWN = 10


def period_start(choice: PeriodChoice, today: date) -> date | None:
    """Return the first day of the period: the Monday 4 or 12 weeks back (this week
    included), or None for all time."""
    if choice == "all":
        return None
    return week_start(today) - timedelta(weeks=int(choice) - 1)


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows, worked out in one go."""

    since: date | None
    until: date
    total: int
    hubs: int
    by_need: list[Bar]
    by_week: list[Bar]
    unmet: list[UnmetRow]
    to_check: list[Service]
    urgent: dict[str, int] = field(default_factory=dict)
    """Searches at this hub that called for urgent help, by crisis kind (never words)."""


def dashboard_figures(desk: CoordinatorDesk, choice: PeriodChoice) -> Figures:
    """Return the dashboard's figures for the period chosen, up to today (London).

    All from one whole saved state of the folder (a kiosk or an import may be saving):
    the total, the charts and the lists agree. Runs in the screen's worker thread.
    """
    return desk.read_snapshot(lambda: _figures(desk, choice))


def _figures(desk: CoordinatorDesk, choice: PeriodChoice) -> Figures:
    today = london_today(desk.now())
    since = period_start(choice, today)
    by_need = desk.report(since, today, "need")
    weeks = desk.report(since, today, "week")[-WEEKS_CHARTED:]
    by_hub = desk.report(since, today, "hub")
    return Figures(
        since=since,
        until=today,
        total=desk.total_referrals(since, today),
        hubs=len(by_hub),
        by_need=[Bar(row.label, row.referrals) for row in by_need],
        by_week=[Bar(_week_label(date.fromisoformat(row.label)), row.referrals) for row in weeks],
        unmet=desk.top_unmet_searches(since, today, UNMET_SHOWN),
        to_check=desk.services_to_check(),
        urgent=desk.urgent_search_counts(since, today),
    )


def _week_label(monday: date) -> str:
    """Return a week's label: the day its Monday falls on, "23 November" ("23 listopada")."""
    return format_date(monday)


class DashboardScreen(CoordinatorScreen):
    """Coordinator dashboard: a period choice, two bar charts and two short lists."""

    TITLE_WORDS = N_("Coordinator dashboard")
    FIRST_FOCUS = "#period-4"
    PERIODS: ClassVar[dict[PeriodChoice, str]] = {
        "4": N_("Last 4 weeks"),
        "12": N_("Last 12 weeks"),
        "all": N_("All time"),
    }

    @dataclass
    class Ready(Message):
        """The figures for a period have been worked out."""

        choice: PeriodChoice
        figures: Figures

    def __init__(self, desk: CoordinatorDesk, staff_id: str | None = None) -> None:
        super().__init__(desk, staff_id)
        self.choice: PeriodChoice = "4"
        self.figures: Figures | None = None

    def compose(self) -> ComposeResult:
        """Yield the bar, the period choice, and the charts and lists (filled in later)."""
        yield from self.compose_bar()
        with VerticalScroll(id="dashboard-body", classes="coordinator-body"):
            with Horizontal(id="dashboard-period", classes="coordinator-buttons"):
                for choice in self.PERIODS:
                    yield Button(
                        self._period_label(choice), id=f"period-{choice}", classes="period-button"
                    )
            yield Static(Content(_("Working out the figures…")), id="dashboard-total")
            yield Static(Content(_("Referrals by need")), classes="chart-title")
            yield BarChart(empty_words=_("No referrals in this period."), id="chart-needs")
            yield Static(Content(_("Referrals by week")), id="weeks-title", classes="chart-title")
            yield BarChart(empty_words=_("No referrals in this period."), id="chart-weeks")
            yield Static(Content(_("Searches that found nothing")), classes="chart-title")
            yield Static("", id="dashboard-unmet", classes="dashboard-list")
            yield Static(Content(_("Services that need checking")), classes="chart-title")
            yield Static("", id="dashboard-checking", classes="dashboard-list")

    def on_mount(self) -> None:
        """Work out the first period's figures."""
        self.choose_period(self.choice)

    def _period_label(self, choice: PeriodChoice) -> str:
        """Return a period button's words; the chosen one is ticked (not only coloured)."""
        words = _(self.PERIODS[choice])
        # The same width either way, so the buttons never change size.
        return f"✓ {words}" if choice == self.choice else f"  {words}"

    @on(Button.Pressed, ".period-button")
    def _period_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("period-")
        for known in self.PERIODS:
            if known == choice and known != self.choice:
                self.choose_period(known)

    def choose_period(self, choice: PeriodChoice) -> None:
        """Show the figures for another period."""
        self.choice = choice
        for known in self.PERIODS:
            button = self.query_one(f"#period-{known}", Button)
            button.label = self._period_label(known)
            button.set_class(known == choice, "-chosen")
        self.refresh_figures()

    def refresh_figures(self) -> None:
        """Start working out the chosen period's figures (in a thread)."""
        self.query_one("#dashboard-total", Static).update(Content(_("Working out the figures…")))
        self.compute(self.choice)

    @work(thread=True, exclusive=True, group="coordinator-dashboard")
    def compute(self, choice: PeriodChoice) -> None:
        """Work out the figures in a thread, then post Ready."""
        self.post_message(self.Ready(choice, dashboard_figures(self.desk, choice)))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        message.stop()
        if message.choice != self.choice:
            return  # a slower answer for a period no longer chosen
        figures = message.figures
        self.figures = figures
        self.query_one("#dashboard-total", Static).update(Content(self._total_words(figures)))
        self.query_one("#chart-needs", BarChart).bars = tuple(figures.by_need)
        self.query_one("#chart-weeks", BarChart).bars = tuple(figures.by_week)
        weeks = len(figures.by_week)
        self.query_one("#weeks-title", Static).update(
            Content(
                ngettext(
                    "Referrals by week, from each Monday (the last {count} week)",
                    "Referrals by week, from each Monday (the last {count} weeks)",
                    weeks,
                ).format(count=weeks)
                if weeks
                else _("Referrals by week")
            )
        )
        self.query_one("#dashboard-unmet", Static).update(Content(self._unmet_words(figures)))
        self.query_one("#dashboard-checking", Static).update(Content(self._checking_words(figures)))

    @staticmethod
    def _total_words(figures: Figures) -> str:
        referrals = ngettext("{count} referral", "{count} referrals", figures.total).format(
            count=figures.total
        )
        if figures.since is None:
            period = _("all time, up to {day}").format(day=long_date(figures.until))
        else:
            period = _("{first} to {last}").format(
                first=long_date(figures.since), last=long_date(figures.until)
            )
        hubs = ngettext("from {count} hub", "from {count} hubs", figures.hubs).format(
            count=figures.hubs
        )
        words = f"{referrals} {hubs}, {period}." if figures.total else f"{referrals}, {period}."
        if figures.total:
            words += " " + _("A referral for two needs counts under each.")
        return words

    @staticmethod
    def _unmet_words(figures: Figures) -> str:
        lines = []
        for row in figures.unmet:
            times = ngettext("{count} time", "{count} times", row.count).format(count=row.count)
            hubs = ngettext("{count} hub", "{count} hubs", row.hubs).format(count=row.hubs)
            lines.append(f"{row.text}: {times}, {hubs}")
        if not lines:
            lines.append(_("None in this period."))
        if figures.urgent:
            # Crisis searches are only ever counted, by kind: their words are never kept.
            lines.append(_("Searches here that called for urgent help (words never kept):"))
            for kind, count in figures.urgent.items():
                times = ngettext("{count} time", "{count} times", count).format(count=count)
                lines.append(f"{kind_label(kind)}: {times}")
        return "\n".join(lines)

    @staticmethod
    def _checking_words(figures: Figures) -> str:
        if not figures.to_check:
            return _("None: every service was checked in the last 6 months.")
        lines = []
        for service in figures.to_check[:CHECKING_SHOWN]:
            if service.assured_date is None:
                checked = _("never checked")
            else:
                checked = _("last checked {day}").format(day=long_date(service.assured_date))
            lines.append(f"{service.name}: {checked}")
        more = len(figures.to_check) - CHECKING_SHOWN
        if more > 0:
            lines.append(_("and {count} more").format(count=more))
        return "\n".join(lines)
