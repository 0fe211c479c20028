from datetime import datetime, timedelta

from monitor.schedule import MAX_BACKOFF, FeedHealth, is_due, next_poll

NOW = datetime(2026, 5, 1, 12)


def test_never_fetched_is_due():
    assert is_due(None, NOW)
    assert is_due(FeedHealth(), NOW)


def test_due_only_after_next_poll():
    health = FeedHealth(next_poll_at=NOW + timedelta(seconds=1))
    assert not is_due(health, NOW)
    assert is_due(health, NOW + timedelta(seconds=1))


def test_success_waits_one_interval():
    assert next_poll(NOW, 600, 0) == NOW + timedelta(seconds=600)


def test_failures_back_off_exponentially_and_are_bounded():
    waits = [next_poll(NOW, 600, n) - NOW for n in (1, 2, 3)]
    assert waits == [timedelta(seconds=600), timedelta(seconds=1200), timedelta(seconds=2400)]
    assert next_poll(NOW, 600, 50) - NOW == MAX_BACKOFF


def test_jitter_spreads_retries_within_a_fifth():
    base = next_poll(NOW, 600, 2, 0.0)
    jittered = next_poll(NOW, 600, 2, 0.99)
    assert base < jittered <= base + timedelta(seconds=240)
