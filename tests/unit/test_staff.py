"""Staff accounts, PIN hashing and lockout; hub identity and settings. Real stores in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import audit
from hub.config import (
    DEFAULT_RETENTION_DAYS,
    DEFAULT_STAFF_IDLE_SECONDS,
    DEFAULT_VISITOR_IDLE_SECONDS,
    ConfigError,
    load_settings,
    update_settings,
)
from hub.hub_identity import HubNameError, HubNotSetUp, hub_info, require_hub, setup_hub
from hub.staff import (
    KIOSK_KEY,
    LOCKED_OUT,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    UNLOCK_FAILED,
    StaffError,
    add_staff,
    check_pin_format,
    find_staff,
    hash_pin,
    list_staff,
    remove_staff,
    staff_member,
    unlock,
    verify_pin,
)
from hub.storage import HubStore

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
PIN = "246810"


@pytest.fixture
def store(tmp_path: Path, quick_pin_hashes: None) -> Iterator[HubStore]:
    """Return a store whose PINs are hashed cheaply: the tests using it count tries and keep
    accounts; the hashing tests above them take no store and use the real cost."""
    with HubStore.open(tmp_path / "data") as opened:
        yield opened


# --- PIN hashing -----------------------------------------------------------------------


def test_the_same_pin_hashes_differently_each_time_and_both_verify() -> None:
    first, second = hash_pin(PIN), hash_pin(PIN)
    assert first != second
    assert first.startswith(f"scrypt${SCRYPT_N}$8$1$")
    assert SCRYPT_N >= 2**15  # stronger than the 2**14 of the first release
    salt_hex = first.split("$")[4]
    assert len(bytes.fromhex(salt_hex)) == 16
    assert PIN not in first
    assert verify_pin(PIN, first) and verify_pin(PIN, second)
    assert not verify_pin("246811", first)


def test_a_fixed_salt_gives_a_repeatable_hash() -> None:
    salt = bytes(range(16))
    assert hash_pin(PIN, salt=salt) == hash_pin(PIN, salt=salt)
    assert hash_pin(PIN, salt=salt) != hash_pin("135791", salt=salt)


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$00$00", "scrypt$x$8$1$00$00"])
def test_a_damaged_hash_never_verifies(stored: str) -> None:
    assert not verify_pin(PIN, stored)


@pytest.mark.parametrize("pin", ["12345", "12345a", " 123456", "١٢٣٤٥٦", "1234567890123"])
def test_a_pin_must_be_six_to_twelve_plain_digits(pin: str) -> None:
    with pytest.raises(StaffError, match="6 to 12 digits"):
        check_pin_format(pin)


def test_a_six_digit_pin_is_accepted() -> None:
    assert check_pin_format("000000") == "000000"


# --- accounts --------------------------------------------------------------------------


def test_add_staff_keeps_only_a_hash_of_the_pin(store: HubStore, tmp_path: Path) -> None:
    member = add_staff(store, "  Ana   Silva ", PIN, NOW)
    assert member.name == "Ana Silva"
    assert member.created_at == NOW
    doc = store.collection("staff").get(member.id)
    assert doc is not None
    assert set(doc) == {"name", "pin_hash", "created_at"}
    assert verify_pin(PIN, doc["pin_hash"])
    on_disk = "".join(p.read_text() for p in (tmp_path / "data").glob("*.json"))
    assert PIN not in on_disk


def test_staff_names_are_unique_in_any_case(store: HubStore) -> None:
    add_staff(store, "Ana Silva", PIN, NOW)
    with pytest.raises(StaffError, match="already a staff member"):
        add_staff(store, "ANA  silva", "135791", NOW)
    assert [m.name for m in list_staff(store)] == ["Ana Silva"]


def test_add_staff_refuses_a_bad_pin_or_name_and_saves_nothing(store: HubStore) -> None:
    with pytest.raises(StaffError):
        add_staff(store, "Ana", "1234", NOW)
    with pytest.raises(StaffError, match="give the staff member a name"):
        add_staff(store, "   ", PIN, NOW)
    with pytest.raises(StaffError, match="contains control characters"):
        add_staff(store, "Ana\x1b[2J", PIN, NOW)
    assert list_staff(store) == []


def test_list_find_and_remove_staff(store: HubStore) -> None:
    bo = add_staff(store, "bo", PIN, NOW)
    ana = add_staff(store, "Ana", PIN, NOW + timedelta(days=1))
    assert [m.name for m in list_staff(store)] == ["Ana", "bo"]
    assert find_staff(store, "BO") == bo
    assert staff_member(store, ana.id) == ana
    removed = remove_staff(store, "ana", NOW + timedelta(days=2))
    assert removed == ana
    assert [m.name for m in list_staff(store)] == ["bo"]
    with pytest.raises(StaffError, match="no staff member called 'ana'"):
        remove_staff(store, "ana", NOW)
    actions = [(e.action, e.record_id) for e in audit.audit_entries(store)]
    assert actions == [
        (audit.STAFF_ADD, bo.id),
        (audit.STAFF_ADD, ana.id),
        (audit.STAFF_REMOVE, ana.id),
    ]


def test_staff_survive_reopening_the_store(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        member = add_staff(store, "Ana", PIN, NOW)
    with HubStore.open(tmp_path) as store:
        assert list_staff(store) == [member]
        assert unlock(store, "ana", PIN, NOW).member == member


# --- unlock and lockout ----------------------------------------------------------------


def test_the_right_name_and_pin_unlock_and_are_audited(store: HubStore) -> None:
    member = add_staff(store, "Ana Silva", PIN, NOW)
    result = unlock(store, "ana silva", PIN, NOW)
    assert result.ok and result.member == member and result.message is None
    entries = audit.audit_entries(store)
    assert (entries[-1].staff_id, entries[-1].action) == (member.id, audit.STAFF_UNLOCK)


def test_a_wrong_pin_and_an_unknown_name_get_the_same_words(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    wrong_pin = unlock(store, "Ana", "999999", NOW)
    unknown_name = unlock(store, "Nobody", PIN, NOW)
    blank_name = unlock(store, "", PIN, NOW)
    for result in (wrong_pin, unknown_name, blank_name):
        assert not result.ok
        assert result.message == UNLOCK_FAILED == "That did not work. Check and try again."


def test_five_wrong_pins_lock_the_account_for_five_minutes(store: HubStore) -> None:
    member = add_staff(store, "Ana", PIN, NOW)
    clock = NOW
    for _ in range(4):
        assert unlock(store, "Ana", "000000", clock).message == UNLOCK_FAILED
        clock += timedelta(seconds=10)
    fifth = unlock(store, "Ana", "000000", clock)
    assert fifth.message == LOCKED_OUT == "Too many tries. Try again in 5 minutes."
    assert fifth.locked_until == clock + timedelta(minutes=5)

    # The right PIN does not open a locked account, right up to the last second.
    assert unlock(store, "Ana", PIN, clock + timedelta(minutes=1)).message == LOCKED_OUT
    almost = clock + timedelta(minutes=5) - timedelta(seconds=1)
    assert unlock(store, "Ana", PIN, almost).message == LOCKED_OUT
    # Five minutes on, it works.
    assert unlock(store, "Ana", PIN, clock + timedelta(minutes=5)).member == member
    assert audit.STAFF_LOCKED_OUT in [e.action for e in audit.audit_entries(store)]


def test_lockout_is_per_account(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    bo = add_staff(store, "Bo", "135791", NOW)
    for _ in range(5):
        unlock(store, "Ana", "000000", NOW)
    assert unlock(store, "Ana", PIN, NOW).message == LOCKED_OUT
    assert unlock(store, "Bo", "135791", NOW).member == bo


def test_an_unknown_name_locks_just_like_a_real_one(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    messages = [unlock(store, "Nobody", PIN, NOW).message for _ in range(6)]
    assert messages == [UNLOCK_FAILED] * 4 + [LOCKED_OUT] * 2


def test_a_right_pin_clears_the_count(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    for _ in range(4):
        unlock(store, "Ana", "000000", NOW)
    assert unlock(store, "Ana", PIN, NOW).ok
    for _ in range(4):
        assert unlock(store, "Ana", "000000", NOW).message == UNLOCK_FAILED


def test_after_a_lockout_the_count_starts_again(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    for _ in range(5):
        unlock(store, "Ana", "000000", NOW)
    later = NOW + timedelta(minutes=5)
    # A single slip after the lockout ends does not lock again at once.
    assert unlock(store, "Ana", "000000", later).message == UNLOCK_FAILED
    assert unlock(store, "Ana", PIN, later).ok


def test_a_lockout_survives_restarting_the_app(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        add_staff(store, "Ana", PIN, NOW)
        for _ in range(5):
            unlock(store, "Ana", "000000", NOW)
    with HubStore.open(tmp_path) as store:
        assert unlock(store, "Ana", PIN, NOW + timedelta(minutes=2)).message == LOCKED_OUT


def test_typed_names_are_not_kept_readable(store: HubStore, tmp_path: Path) -> None:
    # A visitor might type their own name into the box: it must not be stored as text.
    for _ in range(3):
        unlock(store, "Margaret Visitor", "000000", NOW)
    tries = store.collection("staff_unlock").all()
    assert len([key for key in tries if key != KIOSK_KEY]) == 1  # one name, and the kiosk's count
    on_disk = "".join(p.read_text() for p in (tmp_path / "data").glob("*.json*"))
    assert "Margaret" not in on_disk and "margaret" not in on_disk


def test_old_try_counts_are_forgotten_after_a_success(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    unlock(store, "someone else", "000000", NOW)
    assert len(store.collection("staff_unlock")) == 2  # the name's count and the kiosk's
    assert unlock(store, "Ana", PIN, NOW + timedelta(minutes=6)).ok
    assert len(store.collection("staff_unlock")) == 0


def test_a_removed_member_cannot_unlock(store: HubStore) -> None:
    add_staff(store, "Ana", PIN, NOW)
    remove_staff(store, "Ana", NOW)
    assert unlock(store, "Ana", PIN, NOW).message == UNLOCK_FAILED


# --- hub identity and settings ---------------------------------------------------------


def test_setup_gives_an_id_once_and_again_only_renames(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        assert hub_info(store) is None
        with pytest.raises(HubNotSetUp, match="hub setup --name"):
            require_hub(store)
        first = setup_hub(store, "  Church End   Library ")
        assert first.name == "Church End Library"
    with HubStore.open(tmp_path) as store:
        renamed = setup_hub(store, "Church End Library and Hub")
        assert renamed.id == first.id
        assert hub_info(store) == renamed == require_hub(store)


def test_setup_refuses_a_blank_name(store: HubStore) -> None:
    with pytest.raises(HubNameError):
        setup_hub(store, "   ")
    assert hub_info(store) is None


def test_settings_have_defaults(store: HubStore) -> None:
    settings = load_settings(store)
    assert settings.retention_days == DEFAULT_RETENTION_DAYS == 365
    assert settings.staff_idle_seconds == DEFAULT_STAFF_IDLE_SECONDS == 180
    assert settings.visitor_idle_seconds == DEFAULT_VISITOR_IDLE_SECONDS == 120
    assert settings.area is None


def test_settings_are_saved_and_checked(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        update_settings(store, retention_days=90, staff_idle_seconds=300, area=" Church  End ")
        with pytest.raises(ConfigError, match="retention days must be a whole number from 1"):
            update_settings(store, retention_days=0, area="Alperton")
        # The bad call changed nothing, not even the good value beside it.
        assert load_settings(store).area == "Church End"
    with HubStore.open(tmp_path) as store:
        settings = load_settings(store)
        assert (settings.retention_days, settings.staff_idle_seconds) == (90, 300)
        assert settings.visitor_idle_seconds == 120
        assert update_settings(store, area="").area is None


def test_a_nonsense_stored_setting_falls_back_to_the_default(store: HubStore) -> None:
    store.set_meta("retention_days", True)
    store.set_meta("staff_idle_seconds", "soon")
    settings = load_settings(store)
    assert settings.retention_days == 365 and settings.staff_idle_seconds == 180


def test_the_decoy_hash_for_unknown_names_costs_a_full_scrypt() -> None:
    from hub.staff import _DECOY_HASH

    scheme, n, r, p, salt, digest = _DECOY_HASH.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", SCRYPT_N, SCRYPT_R, SCRYPT_P)
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert not verify_pin(PIN, _DECOY_HASH)


def test_read_aloud_is_off_until_turned_on_and_survives_a_restart(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        assert load_settings(store).read_aloud is False
        store.set_meta("read_aloud", "yes")  # a damaged value is not "on"
        assert load_settings(store).read_aloud is False
        assert update_settings(store, read_aloud=True).read_aloud is True
    with HubStore.open(tmp_path) as store:
        assert load_settings(store).read_aloud is True
        assert update_settings(store, read_aloud=False).read_aloud is False
