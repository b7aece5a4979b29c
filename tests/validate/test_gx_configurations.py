"""Inside derived_once an expectation's configuration is derived once; outside it GX's own property is back."""

from __future__ import annotations

import pytest

from pipelines.validate.gx_configurations import derived_once


def _expectation(column: str = "headcount"):
    import great_expectations as gx

    return gx.expectations.ExpectColumnValuesToNotBeNull(column=column, meta={"rule_id": "V-REQ"})


def _original_property():
    from great_expectations.expectations.expectation import Expectation

    return Expectation.__dict__["configuration"]


def test_within_the_block_each_read_returns_the_configuration_derived_first():
    expectation = _expectation()
    outside = expectation.configuration
    assert expectation.configuration is not outside  # GX derives a new one on every read
    with derived_once():
        first = expectation.configuration
        assert expectation.configuration is first
        assert first == outside
        assert _expectation("fte").configuration.kwargs["column"] == "fte"  # per instance, not per class


def test_after_the_block_a_changed_expectation_is_seen_as_changed():
    expectation = _expectation()
    original = _original_property()
    with derived_once():
        assert expectation.configuration.kwargs["column"] == "headcount"
    expectation.column = "fte"
    assert expectation.configuration.kwargs["column"] == "fte"
    assert _original_property() is original


def test_nested_blocks_keep_the_memo_until_the_outermost_ends():
    expectation = _expectation()
    original = _original_property()
    with derived_once():
        first = expectation.configuration
        with derived_once():
            assert expectation.configuration is first
        assert expectation.configuration is first
        assert _original_property() is not original
    assert _original_property() is original


def test_an_exception_in_the_block_restores_gx_own_property():
    original = _original_property()
    with pytest.raises(RuntimeError), derived_once():
        raise RuntimeError("validation failed")
    assert _original_property() is original
    expectation = _expectation()
    assert expectation.configuration is not expectation.configuration
