"""Homework checking: problem sets, isolated grading workers, comparison and reports.

``problems`` reads problem sets and submissions, ``compare`` compares values, ``grade``
runs one answer in a sandbox and gives its verdict, ``pool`` runs submissions in
long-lived forked workers under a watchdog, ``results`` keeps the append-only log that
``--resume`` reads, ``report`` writes the tables and files, ``batch`` ties them together
for ``adcli check`` and ``verify`` serves ``adcli verify``.
"""
