"""Background jobs ("bakgrunnsjobber"): workers' heartbeats and recovery of jobs a dead worker left.

A floor app: it imports no other Bosetting app. The queue itself is Django's tasks framework with the
database backend of ``django_tasks_db``; this app adds what that library lacks (docs/pipeline.md).
"""
