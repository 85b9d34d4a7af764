from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notices to users ("varsler"): the in-app inbox and e-mail, from events and deadlines."""

    name = "bosetting.apps.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: the task module needs the apps ready (django.tasks, the models).
        from django.conf import settings

        from bosetting.apps.jobs.services import register_periodic
        from bosetting.apps.notifications.tasks import send_due_notices_task

        # The worker (`bosetting worker`, started by `bosetting serve`) queues the deadline scan every
        # BOSETTING_NOTIFY_MINUTES; 0 leaves it to `bosetting notify` (cron).
        register_periodic(send_due_notices_task, lambda: settings.BOSETTING_NOTIFY_MINUTES * 60)
