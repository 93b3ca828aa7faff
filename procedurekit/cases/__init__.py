"""Cases: case files, the deadline engine, schedules, batch audits and calendar export."""
