"""Comparing procedures: classed differences between rules, the N-way matrix and its reports."""
