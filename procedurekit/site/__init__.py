"""The explorer: a static website of the installed procedures (``procedurekit site``)."""
