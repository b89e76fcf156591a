# Tests of the history: round trips, resume, refusals, crash safety, contract and report.
dt_add_unit_test(test_history SOURCES test_history.c history_fixture.c LABELS history)
