from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs ("bakgrunnsjobber"): worker heartbeats, recovery and give-up handlers."""

    name = "bosetting.apps.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from bosetting.apps.jobs.services import give_up_failed_task

        # A job that raised is given up at once: its domain object must not stay "running".
        task_finished.connect(give_up_failed_task, dispatch_uid="bosetting.jobs.give_up")
