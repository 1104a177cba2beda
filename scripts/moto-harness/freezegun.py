"""Stand-in for freezegun (not installed here): tests that freeze time are skipped.

moto's tests freeze time inside moto's own process; against a server they cannot work anyway.
"""
import pytest


class freeze_time:  # noqa: N801 - freezegun's name
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, func):
        return pytest.mark.skip(reason="freezegun: time is frozen in moto's process only")(func)

    def __enter__(self):
        pytest.skip("freezegun: time is frozen in moto's process only")

    def __exit__(self, *args):
        return False
