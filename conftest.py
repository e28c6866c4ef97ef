"""Root pytest configuration: fixtures for the graph tests live in tests/kg_fixtures.py."""

pytest_plugins = ["tests.kg_fixtures"]
